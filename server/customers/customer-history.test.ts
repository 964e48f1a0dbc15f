import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../common/customer.ts';
import type { CustomerRow } from '../db/database.ts';
import { creationEntry, valuesAtCreation } from './customer-history.ts';

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
      // An import names the organization instead of giving its id.
      entry({ organization: { from: 'Fjord AS', to: 'Mid AS' } }),
    ];
    const values = valuesAtCreation(now, later);
    expect(values).toMatchObject({
      firstName: 'Kari',
      email: 'kari@old.no',
      organization: 'Fjord AS',
      'customAttributes.tier': 'Silver',
      'customAttributes.city': null,
    });
    expect(values).not.toHaveProperty('organizationId');

    const created = creationEntry(
      now,
      values,
      { organization: () => undefined, type: () => undefined },
      { importId: 'imp-1', filename: 'kunder.csv', actor: { type: 'user', id: 'u', name: 'A' } },
    );
    expect(created).toMatchObject({
      action: 'created',
      createdAt: now.created_at,
      import: { id: 'imp-1', filename: 'kunder.csv', row: 17 },
    });
    expect(created.changes).toEqual({
      firstName: { from: null, to: 'Kari' },
      lastName: { from: null, to: 'Nordmann' },
      email: { from: null, to: 'kari@old.no' },
      organization: { from: null, to: 'Fjord AS' },
      'customAttributes.tier': { from: null, to: 'Silver' },
    });
  });

  it('names the organization and type it was created with by their ids', () => {
    const values = valuesAtCreation({ ...now, type_id: 'type-1' }, []);
    const created = creationEntry(
      now,
      values,
      {
        organization: (id) => (id === 'org-now' ? 'Nå AS' : undefined),
        type: (id) => (id === 'type-1' ? 'VIP' : undefined),
      },
      { importId: 'imp-1', filename: null, actor: { type: 'system', id: null, name: 'K' } },
    );
    expect(created.changes).toMatchObject({
      organization: { from: null, to: 'Nå AS' },
      type: { from: null, to: 'VIP' },
    });
  });
});
