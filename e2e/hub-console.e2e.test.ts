// The Customer Hub in the console, in a real browser against a real server (issue 14): an
// administrator turns the Hub on with a support contact message under Administration → Customer
// Hub; an agent switches a customer's Hub access off on the customer form and grants them their
// organization's tickets from the customer page's Customer Hub panel, then does the same in
// Norwegian Bokmål.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../common/customer.ts';
import { findBuiltInRole } from '../server/agents/agent.repository.ts';
import { systemPrincipal } from '../server/agents/principal.ts';
import type { TestServer } from '../server/test/server.ts';
import { screenshotOnFailure, see, seeNo, startConsole, type ConsoleSession } from './browser.ts';

const ADMIN = { email: 'anne@example.com', password: 'correct horse battery' };
const AGENT = { email: 'ola@example.com', password: 'correct horse battery' };

describe('web console: the Customer Hub', () => {
  let session: ConsoleSession;
  let server: TestServer;
  let admin: Page;
  let agent: Page;
  let accountId: string;
  let customer: Customer;
  let organizationId: string;

  async function loginAs(p: Page, email: string, password: string) {
    await p.goto('/login');
    await p.getByRole('textbox', { name: 'Email' }).fill(email);
    await p.getByRole('textbox', { name: 'Password' }).fill(password);
    await p.getByRole('button', { name: 'Log in' }).click();
    await see(p.getByRole('heading', { name: 'Active customers', level: 1 }));
  }

  beforeAll(async () => {
    session = await startConsole({ width: 1440, height: 900 });
    ({ server, page: admin } = session);
    ({ accountId } = await server.services.agents.createAccount({
      accountName: 'Fjordhjelp',
      name: 'Anne Admin',
      ...ADMIN,
    }));
    const role = await findBuiltInRole(server.services.db.kysely, accountId, 'agent');
    await server.services.agents.createUser(accountId, {
      ...AGENT,
      name: 'Ola Agent',
      roleId: role?.id,
    });
    const principal = systemPrincipal(accountId);
    const organization = await server.services.organizations.create(principal, {
      name: 'Fjord AS',
    });
    organizationId = organization.id;
    customer = await server.services.customers.create(
      principal,
      { firstName: 'Kari', lastName: 'Nordmann', email: 'kari@fjord.no', organizationId },
      'agent',
    );
    await loginAs(admin, ADMIN.email, ADMIN.password);
    const context = await session.browser.newContext({ locale: 'en-US', baseURL: server.url });
    agent = await context.newPage();
    agent.setDefaultTimeout(20_000);
    await loginAs(agent, AGENT.email, AGENT.password);
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') {
      await screenshotOnFailure(admin, `${test.task.name}-admin`);
      await screenshotOnFailure(agent, `${test.task.name}-agent`);
    }
  });

  afterAll(async () => {
    await session?.close();
  });

  const hubSettings = () => server.services.settings.get(accountId).then((s) => s.hub);
  const grants = () =>
    server.services.db.kysely
      .selectFrom('hub_organization_grants')
      .select('organization_id')
      .where('account_id', '=', accountId)
      .where('customer_id', '=', customer.id)
      .execute();

  it('an administrator turns the Hub on with a support contact message', async () => {
    // Before: the customer form has no Hub switch, the panel says the Hub is off.
    await agent.goto(`/customers/${customer.id}`);
    await see(agent.getByText('The Customer Hub is off for this account', { exact: false }));

    const nav = admin.getByRole('navigation');
    await nav.getByText('Administration').click();
    await nav.getByRole('link', { name: 'Customer Hub' }).click();
    await see(admin.getByRole('heading', { name: 'Customer Hub', level: 1 }));
    await admin.getByLabel('Customer Hub on').check({ force: true });
    await admin.getByRole('textbox', { name: 'Message in English' }).fill('Call us on weekdays.');
    await admin
      .getByRole('textbox', { name: 'Message in Norwegian' })
      .fill('Ring oss på hverdager.');
    await admin.getByRole('textbox', { name: 'Email' }).fill('not an address');
    await admin.getByRole('button', { name: 'Save' }).click();
    await see(admin.getByText('The Customer Hub settings were not saved'));
    expect((await hubSettings()).enabled).toBe(false);

    await admin.getByRole('textbox', { name: 'Email' }).fill('support@fjordhjelp.no');
    await admin.getByRole('button', { name: 'Save' }).click();
    await see(admin.getByText('Customer Hub settings saved'));
    await see(admin.getByTestId('hub-url').filter({ hasText: '/hub/fjordhjelp' }));
    const hub = await hubSettings();
    expect(hub.enabled).toBe(true);
    expect(hub.supportContact).toEqual({
      message: { en: 'Call us on weekdays.', nb: 'Ring oss på hverdager.' },
      email: 'support@fjordhjelp.no',
      phone: null,
    });
  });

  it('an agent switches access off on the form and grants the organization on the page', async () => {
    await agent.reload();
    const panel = agent.getByRole('region', { name: 'Customer Hub' });
    await see(panel.getByText('On', { exact: true }));

    await agent.getByRole('button', { name: 'Edit' }).click();
    const dialog = agent.getByRole('dialog', { name: 'Edit customer' });
    const access = dialog.getByLabel('Customer Hub access');
    expect(await access.isChecked()).toBe(true);
    await access.uncheck({ force: true });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await seeNo(dialog);
    await see(panel.getByText('Off', { exact: true }));
    expect(
      (await server.services.customers.get(systemPrincipal(accountId), customer.id)).hubAccess,
    ).toBe(false);
    // Invitation makes no sense with access off: the button says why it is disabled.
    await see(panel.getByText("The customer's Customer Hub access is off."));
    expect(await panel.getByRole('button', { name: 'Invite to Customer Hub' }).isDisabled()).toBe(
      true,
    );
    await see(agent.getByRole('table').filter({ hasText: 'Customer Hub access' }));

    await panel
      .getByRole('button', { name: "Grant access to their organization's tickets" })
      .click();
    await see(agent.getByText('Customer Hub organizations saved'));
    const granted = panel.getByRole('table', { name: 'Organizations whose tickets they may see' });
    await see(granted.getByText('Fjord AS'));
    await seeNo(
      panel.getByRole('button', { name: "Grant access to their organization's tickets" }),
    );
    expect(await grants()).toEqual([{ organization_id: organizationId }]);
    await see(agent.getByRole('table').filter({ hasText: 'Hub organizations' }));

    await granted.getByRole('button', { name: 'Remove Fjord AS' }).click();
    await see(panel.getByText('None: only their own tickets.'));
    expect(await grants()).toEqual([]);
  });

  it('does the same in Norwegian Bokmål', async () => {
    await agent.getByRole('button', { name: 'English' }).click();
    await agent.getByRole('menuitem', { name: 'Norsk bokmål' }).click();
    const panel = agent.getByRole('region', { name: 'Kundeportal' });
    await see(panel.getByText('Av', { exact: true }));

    await agent.getByRole('button', { name: 'Rediger' }).click();
    const dialog = agent.getByRole('dialog');
    const access = dialog.getByLabel('Tilgang til kundeportalen');
    await access.check({ force: true });
    await dialog.getByRole('button', { name: 'Lagre' }).click();
    await seeNo(dialog);
    await see(panel.getByText('På', { exact: true }));

    await panel.getByRole('button', { name: 'Gi tilgang til organisasjonens saker' }).click();
    await see(agent.getByText('Organisasjoner i kundeportalen er lagret'));
    await see(
      panel
        .getByRole('table', { name: 'Organisasjoner kunden kan se saker for' })
        .getByText('Fjord AS'),
    );
    expect(await grants()).toEqual([{ organization_id: organizationId }]);
    await see(agent.getByRole('cell', { name: /Organisasjoner i kundeportalen/ }));
    await see(agent.getByRole('cell', { name: /Tilgang til kundeportalen/ }));

    // The administrator's page in Norwegian too.
    await agent.goto('/admin/customer-hub');
    await see(agent.getByRole('heading', { name: 'Kundeportal', level: 1 }));
  });
});
