// The console's and the Customer Hub's Norwegian Bokmål resources carry exactly the English keys:
// the typed keys check only English, so a string added in one language and forgotten in the other
// is caught here.
import { describe, expect, it } from 'vitest';
import { en, nb } from '../web/i18n/resources.ts';
import hubEn from '../web/hub/i18n/en.json';
import hubNb from '../web/hub/i18n/nb.json';

type Tree = { [key: string]: string | Tree };

function keysOf(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  );
}

const APPS: { app: string; en: Tree; nb: Tree }[] = [
  { app: 'console', en, nb },
  { app: 'Customer Hub', en: hubEn, nb: hubNb },
];

describe.each(APPS)('$app translations', ({ en, nb }) => {
  it('has the same keys in English and Norwegian Bokmål', () => {
    expect(keysOf(nb).sort()).toEqual(keysOf(en).sort());
  });

  it('has no empty strings', () => {
    const empty = (tree: Tree) =>
      keysOf(tree).filter((key) => {
        const value = key
          .split('.')
          .reduce<string | Tree | undefined>(
            (node, part) => (typeof node === 'object' ? node[part] : undefined),
            tree,
          );
        return typeof value === 'string' && value.trim() === '';
      });
    expect(empty(en)).toEqual([]);
    expect(empty(nb)).toEqual([]);
  });
});

describe('Customer Hub wording', () => {
  const leaf = (tree: Tree, key: string) =>
    key
      .split('.')
      .reduce<string | Tree | undefined>(
        (node, part) => (typeof node === 'object' ? node[part] : undefined),
        tree,
      );

  it('fills in the same placeholders in both languages', () => {
    const placeholders = (text: unknown) =>
      [...String(text).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const differing = keysOf(hubEn as Tree).filter(
      (key) =>
        placeholders(leaf(hubEn as Tree, key)).join() !==
        placeholders(leaf(hubNb as Tree, key)).join(),
    );
    expect(differing).toEqual([]);
  });

  it("uses the Bokmål words customers know from Kunde's seeds", () => {
    expect(leaf(hubNb as Tree, 'app.name')).toBe('Kundeportal');
    expect(leaf(hubNb as Tree, 'tickets.mine')).toBe('Mine saker');
    expect(leaf(hubNb as Tree, 'tickets.organization')).toBe('Organisasjonens saker');
    expect(leaf(hubNb as Tree, 'tickets.new')).toBe('Ny sak');
    expect(leaf(hubNb as Tree, 'signIn.submit')).toBe('Logg inn');
    expect(leaf(hubNb as Tree, 'header.signOut')).toBe('Logg ut');
  });
});
