import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../common/customer.ts';
import type { CustomerRow } from '../db/database.ts';
import { creationEntry, presentEntry, valuesAtCreation } from './customer-history.ts';

const now: CustomerRow = {
  account_id: 'a',
  id: 'c',
  number: 7,
  first_name: 'Kari',
  last_name: 'Nordmann',
  email: 'kari@new.no',
  phone: null,
  custom_attributes: JSON.stringify({ tier: 'Gold', city: 'Oslo' }),
  status: 'deactivated',
  created_via: 'import',
  search_text: '',
  last_activity_at: null,
  created_at: '2026-11-01T10:00:00.000Z',
  updated_at: '2026-11-20T10:00:00.000Z',
  version: 4,
  organization_id: 'org-now',
  type_id: null,
  email_domain: 'new.no',
  import_id: 'imp-2',
  import_row: 9,
  created_import_id: 'imp-1',
  created_import_row: 17,
  default_location_id: null,
  hub_access: 1,
  merged_into_id: null,
};

const entry = (changes: AuditEntry['changes']): AuditEntry => ({
  id: 'x',
  action: 'updated',
  actor: { type: 'user', id: 'u', name: 'Agent' },
  changes,
  createdAt: now.updated_at,
});

describe("an imported customer's created entry", () => {
  it('rolls the values now back through every later change, newest first', () => {
    const later = [
      entry({ status: { from: 'active', to: 'deactivated' } }),
      entry({ organizationId: { from: 'org-mid', to: 'org-now' } }),
      entry({
        email: { from: 'kari@old.no', to: 'kari@new.no' },
        'customAttributes.city': { from: null, to: 'Oslo' },
        'customAttributes.tier': { from: 'Silver', to: 'Gold' },
      }),
      entry({ organizationId: { from: 'org-first', to: 'org-mid' } }),
    ];
    const values = valuesAtCreation(now, later);
    expect(values).toMatchObject({
      firstName: 'Kari',
      email: 'kari@old.no',
      organizationId: 'org-first',
      'customAttributes.tier': 'Silver',
      'customAttributes.city': null,
    });

    const created = creationEntry(now, values, {
      importId: 'imp-1',
      filename: 'kunder.csv',
      actor: { type: 'user', id: 'u', name: 'A' },
    });
    expect(created).toMatchObject({
      action: 'created',
      createdAt: now.created_at,
      import: { id: 'imp-1', filename: 'kunder.csv', row: 17 },
    });
    expect(created.changes).toEqual({
      firstName: { from: null, to: 'Kari' },
      lastName: { from: null, to: 'Nordmann' },
      email: { from: null, to: 'kari@old.no' },
      organizationId: { from: null, to: 'org-first' },
      'customAttributes.tier': { from: null, to: 'Silver' },
    });
  });
});

describe('an entry as the trail shows it', () => {
  const names = {
    organizations: new Map([['org-now', 'Nå AS']]),
    types: new Map([['type-1', 'VIP']]),
  };

  it('names organizations and types as they are now, never by id', () => {
    const shown = presentEntry(
      {
        ...entry({
          organizationId: { from: null, to: 'org-now' },
          typeId: { from: 'type-1', to: null },
          email: { from: 'a@b.no', to: 'c@d.no' },
        }),
        refNames: { 'org-now': 'Gammelt navn AS' },
      },
      names,
    );
    expect(shown.changes).toEqual({
      organization: { from: null, to: 'Nå AS' },
      type: { from: 'VIP', to: null },
      email: { from: 'a@b.no', to: 'c@d.no' },
    });
    expect(shown).not.toHaveProperty('refNames');
  });

  it('keeps the name a deleted organization had, and says deleted when none was kept', () => {
    const shown = presentEntry(
      {
        ...entry({ organizationId: { from: 'org-gone', to: 'org-lost' } }),
        refNames: { 'org-gone': 'Borte AS' },
      },
      names,
    );
    expect(shown.changes.organization).toEqual({
      from: 'Borte AS',
      to: { id: 'org-lost', deleted: true },
    });
  });
});
