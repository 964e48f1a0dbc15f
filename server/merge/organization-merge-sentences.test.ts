// Every sentence an organization merge or its undo can answer with has a Norwegian Bokmål rule
// (web/i18n/server-message-rules.ts) whose resources exist in both catalogues: the sentences
// come from organization-merge-texts.ts itself, so one added there without a rule fails here.
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { en, nb } from '../../web/i18n/resources.ts';
import { translateServerMessage } from '../../web/i18n/server-message-rules.ts';
import { undoRefused } from './journal.ts';
import {
  MOVED_KIND_WORDS,
  ORGANIZATION_MERGE_SENTENCES as TEXT,
} from './organization-merge-texts.ts';

async function instance(lng: 'en' | 'nb'): Promise<TFunction> {
  const i18n = i18next.createInstance();
  await i18n.init({
    resources: { en: { translation: en }, nb: { translation: nb } },
    lng,
    fallbackLng: false,
    interpolation: { escapeValue: false },
    parseMissingKeyHandler: (key) => `MISSING ${key}`,
  });
  return i18n.t;
}

const everyKind = Object.fromEntries(Object.keys(MOVED_KIND_WORDS).map((k, i) => [k, i + 1]));
const SENTENCES = [
  TEXT.alreadyMerged,
  TEXT.pointerReadOnly,
  TEXT.mergedJustNow,
  TEXT.survivorMerged,
  TEXT.survivorDeleted,
  TEXT.survivorEdited('Acme AS'),
  TEXT.nameTaken('Acme'),
  TEXT.erased(2),
  TEXT.changedSince('Acme', everyKind),
  undoRefused('undone').message,
  undoRefused('expired').message,
];

describe('organization merge sentences', () => {
  let t: { en: TFunction; nb: TFunction };
  beforeAll(async () => {
    t = { en: await instance('en'), nb: await instance('nb') };
  });

  it.each(SENTENCES)('has a Bokmål rule: %s', (sentence) => {
    const english = translateServerMessage(sentence, t.en);
    const norwegian = translateServerMessage(sentence, t.nb);
    expect(english).toBe(sentence);
    expect(norwegian).not.toBe(sentence);
    expect(norwegian).not.toContain('MISSING');
  });

  it('names every kind that changed in Bokmål', () => {
    const norwegian = translateServerMessage(TEXT.changedSince('Acme', everyKind), t.nb);
    expect(norwegian).toContain('rutingsregler (7)');
    expect(norwegian).toContain('tilganger i Customer Hub (10)');
  });
});
