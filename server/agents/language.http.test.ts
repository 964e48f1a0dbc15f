// The language chosen at first-run setup sticks (issue 16 point 2): it becomes the account's
// default and the administrator's own, an agent added later without a language starts in it, and
// an agent's own choice (PATCH /me) is what the next session shows; the import mapping gets a
// custom field's Norwegian label beside the English one; a download right after a switch is in
// the new language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../common/auth.ts';
import { testDialects } from '../test/databases.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { call, login, type Credential } from './agents-http.testkit.ts';

const PASSWORD = 'correct horse battery';

describe.each(testDialects())('the language chosen at setup on %s', (dialect) => {
  let server: TestServer;
  let admin: Credential;

  beforeAll(async () => {
    server = await startTestServer({ dialect, neighbour: false });
  }, 60_000);
  afterAll(() => server.close());

  it('is the administrator’s language and the account default after a setup in Norwegian', async () => {
    const setup = await call(server, undefined, 'POST', '/api/v1/setup', {
      accountName: 'Fjordtech Kundeservice',
      name: 'Åse Admin',
      email: 'ase@fjordtech.example',
      password: PASSWORD,
      locale: 'nb',
    });
    expect(setup.status).toBe(201);
    expect((setup.body as unknown as Session).user.locale).toBe('nb');
    // A new login (another browser, a reload after logout) shows Norwegian too.
    admin = { cookie: (await login(server, 'ase@fjordtech.example', PASSWORD)).cookie };
    const session = await call(server, admin, 'GET', '/api/v1/session');
    expect(session.body).toMatchObject({ user: { locale: 'nb' } });
    const settings = await call(server, admin, 'GET', '/api/v1/settings');
    expect(settings.body).toMatchObject({ defaultLocale: 'nb' });
  });

  it('starts an agent added without a language in the account default; their own choice sticks', async () => {
    const created = await call(server, admin, 'POST', '/api/v1/users', {
      email: 'siv@fjordtech.example',
      name: 'Siv Support',
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ locale: 'nb' });
    const siv = { cookie: (await login(server, 'siv@fjordtech.example', PASSWORD)).cookie };
    expect((await call(server, siv, 'PATCH', '/api/v1/me', { locale: 'en' })).status).toBe(200);
    const again = { cookie: (await login(server, 'siv@fjordtech.example', PASSWORD)).cookie };
    expect((await call(server, again, 'GET', '/api/v1/session')).body).toMatchObject({
      user: { locale: 'en' },
    });
  });

  it("gives the import mapping a custom field's Norwegian label", async () => {
    const field = await call(server, admin, 'POST', '/api/v1/custom-fields', {
      entity: 'customer',
      key: 'tier',
      label: 'Customer tier',
      labelNb: 'Kundenivå',
      type: 'text',
    });
    expect(field.status).toBe(201);
    const upload = await fetch(`${server.url}/api/v1/customer-imports`, {
      method: 'POST',
      headers: {
        ...(admin && 'cookie' in admin ? { cookie: admin.cookie } : {}),
        'content-type': 'text/csv',
      },
      body: 'email,tier\r\nkari@fjordtech.example,Gull\r\n',
    });
    expect(upload.status).toBe(201);
    const preview = (await upload.json()) as { targets: { value: string; labelNb?: string }[] };
    expect(preview.targets).toContainEqual({
      value: 'field:tier',
      label: 'Customer tier',
      labelNb: 'Kundenivå',
    });
  });

  it('writes the next download in the language just chosen, not the one the session began in', async () => {
    const firstLine = async () => {
      const response = await fetch(`${server.url}/api/v1/customer-imports/template.csv`, {
        headers: admin && 'cookie' in admin ? { cookie: admin.cookie } : {},
      });
      return Buffer.from(await response.arrayBuffer())
        .toString('utf8')
        .split('\r\n')[0];
    };
    expect(await firstLine()).toMatch(/^\uFEFFE-post;Telefon;/);
    // Within the seconds the node remembers who a session is: the switch still counts at once.
    expect((await call(server, admin, 'PATCH', '/api/v1/me', { locale: 'en' })).status).toBe(200);
    expect(await firstLine()).toMatch(/^\uFEFFEmail,Phone,/);
    expect((await call(server, admin, 'PATCH', '/api/v1/me', { locale: 'nb' })).status).toBe(200);
    expect(await firstLine()).toMatch(/^\uFEFFE-post;Telefon;/);
  });

  it('refuses a language it does not have, naming the field', async () => {
    const refused = await call(server, admin, 'PATCH', '/api/v1/me', { locale: 'sv' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ errors: [{ field: 'locale', code: 'invalid_option' }] });
  });
});
