// The OpenAPI fuzz test: every operation in /api/openapi.json gets a valid-looking request built
// from its schemas and fast-check's broken variants of it (fuzz-requests.ts), sent over real HTTP
// as an administrator on both databases. No answer may be a 5xx or show a stack trace, and every
// 4xx is problem+json with a code whose status matches, and each of its field errors carries a
// code of the catalogue with that code's params. Fixed seed, bounded runs: deterministic.
import fc from 'fast-check';
import { FIELD_ERROR_CODES, isFieldErrorCode } from '../../common/field-error-codes.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import {
  fuzzRequest,
  operationsOf,
  Sampler,
  validRequest,
  type Fixtures,
  type FuzzRequest,
} from './fuzz-requests.ts';
import { multipartRequests, rawEmailRequests } from './fuzz-raw-bodies.ts';

// Fixed for CI; KUNDE_FUZZ_SEED and KUNDE_FUZZ_RUNS explore further by hand.
const SEED = Number(process.env.KUNDE_FUZZ_SEED ?? 20261201);
/** Broken variants per operation (the valid one among them); about 20 s per dialect on 2 cores. */
const RUNS = Number(process.env.KUNDE_FUZZ_RUNS ?? 16);
const STACK_TRACE =
  /\n\s+at \S.*:\d+:\d+|\bat (async )?\S+ \(\S+:\d+:\d+\)|Error: .*\/\S+\.(ts|js)\b/;

describe.each(testDialects())('OpenAPI fuzz on %s', (dialect) => {
  let server: TestServer;
  let token: string;
  const fixtures: Fixtures = { ids: {}, domain: 'fuzzorg.example' };

  async function send(request: Omit<FuzzRequest, 'label'>) {
    const response = await fetch(`${server.url}${request.url}`, {
      method: request.method,
      headers: { authorization: `Bearer ${token}`, ...request.headers },
      body: request.body,
      signal: AbortSignal.timeout(30_000),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  }

  async function create(url: string, body: unknown): Promise<string> {
    const answer = await send({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(answer.status, `${url}: ${answer.text}`).toBe(201);
    return (JSON.parse(answer.text) as { id: string }).id;
  }

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const account = await createTestAccount(server.services);
    token = (
      await server.services.agents.createToken(
        account.accountId,
        account.admin.userId ?? '',
        'fuzz',
      )
    ).token;
    // Rows for every {id} so valid-looking requests reach the services, not only 404s.
    const ids = fixtures.ids;
    ids.customers = await create('/api/v1/customers', {
      firstName: 'Fuzz',
      email: 'fuzz-customer@fuzz.example',
    });
    ids.organizations = await create('/api/v1/organizations', {
      name: 'Fuzz AS',
      domains: [fixtures.domain],
    });
    ids.tickets = await create('/api/v1/tickets', {
      subject: 'Fuzz',
      message: 'Hello',
      requester: { email: 'fuzz-customer@fuzz.example' },
    });
    ids['customer-types'] = await create('/api/v1/customer-types', { name: 'Fuzz type' });
    ids['custom-fields'] = await create('/api/v1/custom-fields', {
      entity: 'customer',
      key: 'fuzz_field',
      label: 'Fuzz field',
      type: 'text',
    });
    ids.teams = await create('/api/v1/teams', { name: 'Fuzz team' });
    ids.users = await create('/api/v1/users', {
      email: 'fuzz-agent@fuzz.example',
      name: 'Fuzz Agent',
      password: 'correct horse battery',
    });
    ids.tokens = await create('/api/v1/tokens', { name: 'fuzz victim' });
    ids.ruleId = await create(`/api/v1/organizations/${ids.organizations}/rules`, {
      teamId: ids.teams,
    });
    ids.locationId = await create(`/api/v1/organizations/${ids.organizations}/locations`, {
      name: 'Fuzz office',
    });
    ids.areaId = await create(
      `/api/v1/organizations/${ids.organizations}/locations/${ids.locationId}/areas`,
      { name: 'Fuzz floor' },
    );
    const contact = await create('/api/v1/customers', {
      email: `fuzz-contact@${fixtures.domain}`,
      organizationId: ids.organizations,
    });
    ids.contracts = await create(`/api/v1/organizations/${ids.organizations}/contracts`, {
      description: 'Fuzz contract',
      customerContactId: contact,
      supportContactId: ids.users,
      hasHourRestriction: true,
      contractHours: 10,
    });
    ids['time-entries'] = await create(`/api/v1/tickets/${ids.tickets}/time-entries`, {
      minutes: 5,
      workDate: '2026-12-01',
    });
    ids['notification-groups'] = await create(
      `/api/v1/organizations/${ids.organizations}/notification-groups`,
      { name: 'Fuzz group', events: ['ticket_created'] },
    );
    Object.assign(ids, {
      customerContactId: contact,
      supportContactId: ids.users,
      supportManagerId: ids.users,
      agentId: ids.users,
      contractId: ids.contracts,
    });
    const upload = await send({
      method: 'POST',
      url: '/api/v1/customer-imports',
      headers: { 'content-type': 'text/csv' },
      body: 'email,first_name\r\nfuzz-row@fuzz.example,Row\r\n',
    });
    expect(upload.status, upload.text).toBe(201);
    ids['customer-imports'] = (JSON.parse(upload.text) as { import: { id: string } }).import.id;
    const roles = JSON.parse(
      (await send({ method: 'GET', url: '/api/v1/roles', headers: {} })).text,
    ) as {
      items: { id: string }[];
    };
    Object.assign(ids, {
      customerId: ids.customers,
      customerIds: ids.customers,
      organizationId: ids.organizations,
      typeId: ids['customer-types'],
      teamId: ids.teams,
      assigneeId: ids.users,
      memberIds: ids.users,
      roleId: roles.items[0]?.id ?? '',
    });
  });
  afterAll(() => server.close());

  it('answers every operation, valid or broken, without a 5xx or a stack trace, 4xx as problem+json', async () => {
    const doc = JSON.parse(
      (await send({ method: 'GET', url: '/api/openapi.json', headers: {} })).text,
    ) as Record<string, unknown>;
    const components = (doc.components as { schemas: Record<string, Record<string, unknown>> })
      .schemas;
    const sampler = new Sampler(components, fixtures);
    // Deletions last, so the fixtures exist for everything else.
    const operations = operationsOf(doc).sort(
      (a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'),
    );
    expect(operations.length).toBeGreaterThan(50);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const fieldCodes = new Set<string>();
    let sent = 0;
    for (const op of operations) {
      const raw =
        op.path === '/api/v1/customer-imports' && op.method === 'POST'
          ? multipartRequests(op.path)
          : op.path === '/api/v1/inbound/email'
            ? rawEmailRequests(op.path)
            : undefined;
      const arbitrary = raw?.random ?? fuzzRequest(op, validRequest(op, sampler, fixtures));
      const requests = [
        ...(raw?.fixed ?? []),
        ...fc.sample(arbitrary, { seed: SEED, numRuns: RUNS }),
      ];
      for (const request of requests) {
        sent += 1;
        let answer: Awaited<ReturnType<typeof send>>;
        try {
          answer = await send(request);
        } catch (error) {
          failures.push(`${op.method} ${op.path} [${request.label}]: no answer (${String(error)})`);
          continue;
        }
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const problem = checkAnswer(answer, fieldCodes);
        if (problem)
          failures.push(`${op.method} ${op.path} [${request.label}] ${answer.status}: ${problem}`);
      }
    }
    console.info(
      `fuzz ${dialect}: ${sent} requests over ${operations.length} operations`,
      Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
      `field error codes: ${[...fieldCodes].sort().join(' ')}`,
    );
    expect(failures).toEqual([]);
    // The broken variants reach more than one kind of code: missing, unknown, mistyped, options, ids.
    for (const code of ['required', 'unknown_field', 'wrong_type', 'invalid_option', 'not_an_id'])
      expect([...fieldCodes]).toContain(code);
    expect(statuses.get(201) ?? 0, 'valid requests reach the services').toBeGreaterThan(5);
  }, 240_000);
});

function checkAnswer(
  answer: { status: number; type: string; text: string },
  fieldCodes: Set<string>,
): string | undefined {
  if (answer.status >= 500) return answer.text.slice(0, 300);
  if (STACK_TRACE.test(answer.text)) return `stack trace: ${answer.text.slice(0, 300)}`;
  if (answer.status < 400) return undefined;
  if (!answer.type.startsWith('application/problem+json'))
    return `not problem+json: ${answer.type}`;
  const body = JSON.parse(answer.text) as { code?: unknown; status?: unknown; errors?: unknown };
  if (typeof body.code !== 'string' || !body.code) return 'no code';
  if (body.status !== answer.status) return `status ${String(body.status)} in the body`;
  for (const error of Array.isArray(body.errors) ? (body.errors as FieldErrorLike[]) : []) {
    const problem = fieldErrorProblem(error);
    if (problem) return `field error ${JSON.stringify(error)}: ${problem}`;
    fieldCodes.add(String(error.code));
  }
  return undefined;
}

interface FieldErrorLike {
  field?: unknown;
  code?: unknown;
  params?: Record<string, unknown>;
  message?: unknown;
}

/** Why a field error is not what the catalogue promises: a known code, exactly its params. */
function fieldErrorProblem(error: FieldErrorLike): string | undefined {
  if (typeof error.field !== 'string' || typeof error.message !== 'string')
    return 'no field or message';
  if (!isFieldErrorCode(error.code)) return 'no code of the catalogue';
  const kinds: Record<string, string> = FIELD_ERROR_CODES[error.code].params;
  const params = error.params ?? {};
  if (Object.keys(params).sort().join() !== Object.keys(kinds).sort().join())
    return `params are not ${Object.keys(kinds).join(', ') || 'none'}`;
  const wrong = Object.entries(params).filter(([name, value]) => typeof value !== kinds[name]);
  return wrong.length ? `params of the wrong type: ${wrong.map(([n]) => n).join(', ')}` : undefined;
}
