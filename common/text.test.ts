// The text policy: what it refuses, what it cleans, and that cleaning always yields acceptable text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanJsonValue,
  cleanText,
  findTextViolations,
  forbiddenCharacter,
  textProblem,
} from './text.ts';

describe('text policy', () => {
  it('refuses NUL and other controls, naming the character', () => {
    expect(textProblem('a\u0000b')).toBe('contains a control character (U+0000)');
    expect(textProblem('bell\u0007')).toBe('contains a control character (U+0007)');
    expect(textProblem('del\u007f')).toBe('contains a control character (U+007F)');
    expect(textProblem('lone \ud800 surrogate')).toBe('contains a control character (U+D800)');
  });

  it('accepts ordinary text, tabs and line breaks', () => {
    expect(textProblem('Åse Øye\tline\r\nnext 😀')).toBeUndefined();
  });

  it('finds violations with their paths, in keys too', () => {
    expect(
      findTextViolations({
        name: 'ok',
        attrs: { tier: 'x\u0000' },
        tags: ['a', '\u0001'],
        ['k\u0000']: 1,
      }),
    ).toEqual(
      expect.arrayContaining([
        {
          field: 'attrs.tier',
          code: 'control_character',
          params: { character: 'U+0000' },
          message: 'contains a control character (U+0000)',
        },
        {
          field: 'tags.1',
          code: 'control_character',
          params: { character: 'U+0001' },
          message: 'contains a control character (U+0001)',
        },
        {
          field: 'k',
          code: 'control_character',
          params: { character: 'U+0000' },
          message: 'contains a control character (U+0000)',
        },
      ]),
    );
  });

  it('walks deep nesting without overflowing the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findTextViolations(deep)).toHaveLength(1);
  });

  it('cleaning removes exactly the refused characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const cleaned = cleanText(text);
        expect(forbiddenCharacter(cleaned)).toBeUndefined();
        if (forbiddenCharacter(text) === undefined) expect(cleaned).toBe(text);
        // Cleaning never adds: the cleaned text is the input with some characters taken out.
        expect(cleaned.length).toBeLessThanOrEqual(text.length);
        expect(cleanText(cleaned)).toBe(cleaned);
      }),
      { seed: 20261201, numRuns: 2000 },
    );
  });
});

describe('cleanJsonValue', () => {
  it('cleans every string and key in place, however deep', () => {
    expect(
      cleanJsonValue({ from: '+47\u0000 99', body: ['a\u0000b', { ['k\u0007']: 'v\u007f' }] }),
    ).toEqual({
      from: '+47 99',
      body: ['ab', { k: 'v' }],
    });
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    let inner = cleanJsonValue(deep);
    while (Array.isArray(inner)) inner = inner[0];
    expect(inner).toBe('x');
  });
});
