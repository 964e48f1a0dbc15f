// The pure side of duplicate suggestions: which keys a customer is kept under, how an address
// loses its subaddress, and that a reason reads the same from either customer of the pair.
import { describe, expect, it } from 'vitest';
import {
  addReasons,
  emailBase,
  matchKeys,
  orientReason,
  phoneMentions,
  sameBase,
  type MatchProfile,
} from './duplicate-keys.ts';

const profile = (over: Partial<MatchProfile>): MatchProfile => ({
  id: 'c1',
  firstName: null,
  lastName: null,
  organizationId: null,
  customAttributes: {},
  emails: [],
  phones: [],
  ...over,
});

describe('duplicate keys', () => {
  it('drops the subaddress, and only within one domain', () => {
    expect(emailBase('ola+support@x.no')).toMatchObject({ base: 'ola@x.no', from: 'ola+' });
    expect(emailBase('ola@x.no')?.base).toBe('ola@x.no');
    expect(emailBase('+tag@x.no')).toBeUndefined();
    expect(sameBase('ola+a@x.no', 'ola@x.no')).toBe(true);
    expect(sameBase('ola+a@x.no', 'ola+b@x.no')).toBe(true);
    expect(sameBase('ola+a@x.no', 'ola@y.no')).toBe(false);
    expect(sameBase('ola@x.no', 'ola@x.no')).toBe(false);
    expect(sameBase('olav@x.no', 'ola@x.no')).toBe(false);
  });

  it('keys a name only with both parts and an organization, folded', () => {
    expect(matchKeys(profile({ firstName: 'Åse', lastName: 'Bakken' }), 'NO')).toEqual([]);
    expect(
      matchKeys(profile({ firstName: ' Åse ', lastName: 'BAKKEN', organizationId: 'o1' }), 'NO'),
    ).toEqual([{ kind: 'name', key: 'o1 ase bakken', detail: { name: 'Åse BAKKEN' } }]);
  });

  it('reads numbers written any way in attributes, but not the customer’s own', () => {
    const mentions = phoneMentions(
      profile({
        phones: ['+4791111111'],
        customAttributes: {
          mobil: 'ring 922 22 222 etter kl 12',
          privat: '+47 911 11 111',
          liste: ['0047 93333333'],
          kundenummer: 12345678,
          by: 'Tromsø',
        },
      }),
      'NO',
    );
    expect(mentions.map((m) => [m.key, m.detail.field, m.detail.written])).toEqual([
      ['+4792222222', 'mobil', '922 22 222'],
      ['+4793333333', 'liste', '0047 93333333'],
    ]);
  });

  it('orients a reason to the pair, so either side finds the same one', () => {
    const fromA = orientReason(
      {
        code: 'phone_in_custom_field',
        phone: '+4791111111',
        holder: 'first',
        field: 'f',
        written: 'w',
      },
      false,
    );
    const fromB = orientReason(
      {
        code: 'phone_in_custom_field',
        phone: '+4791111111',
        holder: 'second',
        field: 'f',
        written: 'w',
      },
      true,
    );
    expect(fromB).toEqual(fromA);
    expect(
      orientReason(
        { code: 'email_subaddress', firstEmail: 'b+x@x.no', secondEmail: 'b@x.no' },
        true,
      ).detail,
    ).toEqual({ firstEmail: 'b@x.no', secondEmail: 'b+x@x.no' });
    expect(addReasons([fromA], [fromB])).toBeUndefined();
    expect(
      addReasons([fromA], [{ code: 'same_name_same_organization', detail: { name: 'A B' } }]),
    ).toHaveLength(2);
  });
});
