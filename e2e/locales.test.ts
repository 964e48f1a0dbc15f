// The console's Norwegian Bokmål resources carry exactly the English keys: the typed keys check
// only English, so a string added in one language and forgotten in the other is caught here.
import { describe, expect, it } from 'vitest';
import en from '../web/i18n/en.json';
import nb from '../web/i18n/nb.json';

type Tree = { [key: string]: string | Tree };

function keysOf(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  );
}

describe('console translations', () => {
  it('has the same keys in English and Norwegian Bokmål', () => {
    expect(keysOf(nb as Tree).sort()).toEqual(keysOf(en as Tree).sort());
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
    expect(empty(en as Tree)).toEqual([]);
    expect(empty(nb as Tree)).toEqual([]);
  });
});
