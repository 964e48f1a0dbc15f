// The merge dialog's and the Possible duplicates page's words, in Node: every duplicate reason
// code (common/merge.ts DUPLICATE_REASONS) becomes a sentence with what matched in English and
// Norwegian Bokmål, every reason an undo can be refused for (MergeRecord.undoBlockedBy) has its
// explanation, and every field a merge chooses between has a label, so a code added to the
// contract without words fails here rather than showing a key to an agent.
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../common/customer.ts';
import {
  CUSTOMER_MERGE_FIELDS,
  DUPLICATE_REASONS,
  mergeRecordSchema,
  type DuplicateReason,
} from '../common/merge.ts';
import { en, nb } from '../web/i18n/resources.ts';
import { reasonSentence } from '../web/console/duplicates/duplicate-reasons.ts';
import {
  formatMergeValue,
  mergeFieldLabel,
  previewFields,
  type MergeNames,
} from '../web/console/merge/merge-fields.ts';

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

const NAMES: MergeNames = {
  fieldLabels: new Map([['tier', 'Service tier']]),
  typeNames: new Map([['type-1', 'Retail']]),
  locationNames: new Map(),
};

function customer(overrides: Partial<Customer>): Customer {
  return {
    id: 'c1',
    number: 1,
    firstName: null,
    lastName: null,
    email: null,
    phone: null,
    additionalEmails: [],
    additionalPhones: [],
    customAttributes: {},
    organizationId: null,
    organizationName: null,
    typeId: null,
    defaultLocationId: null,
    status: 'active',
    mergedInto: null,
    hubAccess: false,
    createdVia: 'agent',
    createdAt: '2026-12-01T00:00:00Z',
    updatedAt: '2026-12-01T00:00:00Z',
    lastActivityAt: null,
    version: 1,
    ...overrides,
  };
}

describe.each(['en', 'nb'] as const)('merge wording in %s', (lng) => {
  let t: TFunction;
  beforeAll(async () => {
    t = await instance(lng);
  });

  const pair = [
    customer({
      id: 'a',
      number: 7,
      firstName: 'Ola',
      lastName: 'Dunk',
      organizationName: 'Fjord AS',
    }),
    customer({ id: 'b', number: 8, firstName: 'Ola', lastName: 'Sms' }),
  ] as const;
  const context = { customers: pair, fieldLabels: new Map([['mobil', 'Mobilnummer privat']]) };

  /** Each reason with its detail as server/duplicates writes it, and what its sentence shows. */
  const REASONS: { reason: DuplicateReason; shows: string[] }[] = [
    {
      reason: {
        code: 'same_phone',
        detail: {
          phone: '+4798765432',
          firstField: 'mobil',
          firstWritten: '987 65 432',
          secondField: 'tlf',
          secondWritten: '+47 987 65 432',
        },
      },
      shows: ['987 65 432 (Mobilnummer privat) / +47 987 65 432 (tlf)'],
    },
    {
      reason: { code: 'same_name_same_organization', detail: { name: 'Ola Dunk' } },
      shows: ['Ola Dunk (Fjord AS)'],
    },
    {
      reason: {
        code: 'email_subaddress',
        detail: { firstEmail: 'ola+support@dunk.no', secondEmail: 'ola@dunk.no' },
      },
      shows: ['ola+support@dunk.no / ola@dunk.no'],
    },
    {
      reason: {
        code: 'phone_in_custom_field',
        detail: { phone: '+4798765432', holder: 'second', field: 'mobil', written: '98765432' },
      },
      shows: ['Ola Sms', 'Ola Dunk', '+4798765432', '98765432 (Mobilnummer privat)'],
    },
  ];

  it('has a sentence for every reason code', () => {
    expect(REASONS.map((r) => r.reason.code).sort()).toEqual([...DUPLICATE_REASONS].sort());
  });

  it.each(REASONS)('says why $reason.code is a possible duplicate, with what matched', (row) => {
    const sentence = reasonSentence(row.reason, t, context);
    expect(sentence).not.toMatch(/MISSING|\{\{/);
    for (const part of row.shows) expect(sentence).toContain(part);
  });

  it('still says something for a detail of another shape', () => {
    for (const code of DUPLICATE_REASONS) {
      const sentence = reasonSentence({ code, detail: { value: '987 65 432' } }, t);
      expect(sentence).not.toMatch(/MISSING|\{\{/);
      expect(sentence).toContain('987 65 432');
    }
  });

  it('explains every reason an undo can be refused for', () => {
    const reasons = mergeRecordSchema.shape.undoBlockedBy.unwrap().options;
    for (const reason of reasons) {
      expect(t(`merge.blocked.${reason}`)).not.toMatch(/MISSING/);
    }
  });

  it('labels every field a merge chooses between, and custom fields by their label', () => {
    for (const field of CUSTOMER_MERGE_FIELDS) {
      const label = mergeFieldLabel(field, t, NAMES);
      expect(label, field).not.toMatch(/MISSING/);
      expect(label, field).not.toBe(field);
    }
    expect(mergeFieldLabel('customAttributes.tier', t, NAMES)).toBe('Service tier');
    expect(mergeFieldLabel('customAttributes.color', t, NAMES)).toBe('color');
  });

  it('shows names instead of ids, and the empty mark for nothing', () => {
    const owner = customer({ organizationId: 'o1', organizationName: 'Fjord AS' });
    expect(formatMergeValue('organizationId', 'o1', owner, t, NAMES)).toBe('Fjord AS');
    expect(formatMergeValue('typeId', 'type-1', owner, t, NAMES)).toBe('Retail');
    expect(formatMergeValue('firstName', null, owner, t, NAMES)).toBe('—');
    expect(formatMergeValue('customAttributes.tags', ['a', 'b'], owner, t, NAMES)).toBe('a, b');
    expect(formatMergeValue('hubAccess', true, owner, t, NAMES)).toBe(t('fields.yes'));
  });

  it('counts what moves in the plural forms of the language', () => {
    expect(t('merge.moveTickets', { count: 1 })).not.toBe(t('merge.moveTickets', { count: 2 }));
    expect(t('merge.moveAuditEntries', { count: 3 })).toContain('3');
  });
});

describe('the preview rows', () => {
  it('lists the merge fields and every custom attribute of either, hub access only if it differs', () => {
    const fields = previewFields(
      customer({ customAttributes: { tier: 'gold' } }),
      customer({ customAttributes: { color: 'blue' }, hubAccess: false }),
    );
    expect(fields).toContain('firstName');
    expect(fields).not.toContain('hubAccess');
    expect(fields.slice(-2)).toEqual(['customAttributes.color', 'customAttributes.tier']);
    expect(previewFields(customer({ hubAccess: true }), customer({}))).toContain('hubAccess');
  });
});
