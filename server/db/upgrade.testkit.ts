// Rows as earlier releases wrote them, for the upgrade test (upgrade.test.ts): the ids and values
// the steps share, and helpers that write a customer (row, identities, number counter) and an
// audit entry in the columns the first releases had. The steps themselves are in
// upgrade-steps-first.testkit.ts and upgrade-steps-later.testkit.ts.
import type { Kysely } from 'kysely';
import { newId } from './ids.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows as each earlier schema had them
export type Old = Kysely<any>;

export const PASSWORD = 'an old release password';
export const TOKEN_SECRET = 'old-release-token-secret-0123456789abcdef';

/** Ids and values the steps share, fixed per run. */
export function fixture() {
  return {
    account: newId(),
    neighbour: newId(),
    role: newId(),
    admin: newId(),
    token: newId(),
    kari: newId(),
    per: newId(),
    importedEarly: newId(),
    ase: newId(),
    importedLate: newId(),
    late: newId(),
    neighbourKari: newId(),
    firma: newId(),
    vip: newId(),
    customImport: newId(),
    team: newId(),
    ticket: newId(),
    customerMessage: newId(),
    agentMessage: newId(),
    attachment: newId(),
    processedMail: newId(),
    failedMail: newId(),
    export: newId(),
  };
}
export type Fixture = ReturnType<typeof fixture>;

export const at = (day: number, hour = 9) =>
  new Date(Date.UTC(2026, 10, day, hour, 0, 0)).toISOString();
export const json = (value: unknown) => JSON.stringify(value);

export async function customer(
  k: Old,
  row: {
    account: string;
    id: string;
    number: number;
    first: string | null;
    last: string | null;
    email: string | null;
    phone?: string | null;
    via?: string;
    day: number;
    extra?: Record<string, unknown>;
  },
) {
  const search = [row.first, row.last, row.email, row.phone, row.phone?.replace(/^\+/, '')]
    .filter(Boolean)
    .join(' ')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
  await k
    .insertInto('customers')
    .values({
      account_id: row.account,
      id: row.id,
      number: row.number,
      first_name: row.first,
      last_name: row.last,
      email: row.email,
      phone: row.phone ?? null,
      custom_attributes: json({}),
      status: 'active',
      created_via: row.via ?? 'agent',
      search_text: search,
      last_activity_at: null,
      created_at: at(row.day),
      updated_at: at(row.day),
      version: 1,
      ...row.extra,
    })
    .execute();
  const identities = [
    ...(row.email ? [{ kind: 'email', value: row.email }] : []),
    ...(row.phone ? [{ kind: 'phone', value: row.phone }] : []),
  ];
  for (const identity of identities)
    await k
      .insertInto('customer_identities')
      .values({
        account_id: row.account,
        ...identity,
        customer_id: row.id,
        created_at: at(row.day),
      })
      .execute();
  await k
    .insertInto('counters')
    .values({ account_id: row.account, name: 'customer', value: row.number })
    .onConflict((oc) => oc.columns(['account_id', 'name']).doUpdateSet({ value: row.number }))
    .execute();
}

export async function audit(
  k: Old,
  f: Fixture,
  customerId: string,
  action: string,
  changes: Record<string, { from: unknown; to: unknown }>,
  day: number,
  extra: Record<string, unknown> = {},
) {
  await k
    .insertInto('customer_audit')
    .values({
      account_id: f.account,
      id: newId(),
      customer_id: customerId,
      action,
      actor_type: 'user',
      actor_id: f.admin,
      actor_name: 'Gunn Gammel',
      changes: json(changes),
      created_at: at(day, 10),
      ...extra,
    })
    .execute();
}

/** What a release at each migration would have written, in that release's columns. */

/** What a release at one migration would have written, in that release's columns. */
export type Step = (k: Old, f: Fixture) => Promise<void>;
