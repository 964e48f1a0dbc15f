// Administration → Agents and → Roles in the browser (issue 13 item 1): an administrator adds an
// agent with a password, changes their role and deactivates them; invites one, who sets a
// password from the emailed link and logs in; and makes a role by ticking permissions, which an
// agent holding it then sees in their console (and sees change when the role changes).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../common/permissions.ts';
import type { TestServer } from '../server/test/server.ts';
import {
  openMenuSection,
  screenshotOnFailure,
  see,
  seeNo,
  startConsole,
  type ConsoleSession,
} from './browser.ts';

const ADMIN = { email: 'anne@example.com', password: 'correct horse battery' };

describe('web console: agents and roles', () => {
  let session: ConsoleSession;
  let server: TestServer;
  let browser: Browser;
  let accountId: string;
  let page: Page;

  beforeAll(async () => {
    session = await startConsole({ width: 1440, height: 900 });
    ({ server, browser, page } = session);
    ({ accountId } = await server.services.agents.createAccount({
      accountName: 'Fjordhjelp',
      name: 'Anne Admin',
      ...ADMIN,
    }));
    await loginAs(page, ADMIN.email, ADMIN.password);
  });

  afterAll(async () => {
    await session?.close();
  });

  async function loginAs(p: Page, email: string, password: string) {
    await p.goto('/login');
    await p.getByRole('textbox', { name: 'Email' }).fill(email);
    await p.getByRole('textbox', { name: 'Password' }).fill(password);
    await p.getByRole('button', { name: 'Log in' }).click();
    await see(p.getByRole('heading', { name: 'Active customers', level: 1 }));
  }

  async function newPage() {
    const context = await browser.newContext({ locale: 'en-US', baseURL: server.url });
    const p = await context.newPage();
    p.setDefaultTimeout(20_000);
    return p;
  }

  const row = (name: string) => page.getByRole('row').filter({ hasText: name });

  it('adds an agent with a password, changes their role and deactivates them', async () => {
    try {
      await page.goto('/admin/agents');
      await see(page.getByRole('heading', { name: 'Agents', level: 1 }));
      await see(row('Anne Admin').getByText('Administrator'));

      await page.getByRole('button', { name: 'Add agent' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('textbox', { name: 'Name' }).fill('Ola Agent');
      await dialog.getByRole('textbox', { name: 'Email' }).fill('ola@example.com');
      await dialog.getByRole('checkbox', { name: /Email them an invitation/ }).uncheck();
      await dialog.getByLabel('Password', { exact: true }).fill('another horse battery');
      await dialog.getByRole('button', { name: 'Add agent' }).click();
      await seeNo(dialog);
      await see(row('Ola Agent').getByText('Active'));
      await see(row('Ola Agent').getByText('Agent', { exact: true }));

      // The same email again is refused on the field.
      await page.getByRole('button', { name: 'Add agent' }).click();
      await dialog.getByRole('textbox', { name: 'Name' }).fill('Ola Again');
      await dialog.getByRole('textbox', { name: 'Email' }).fill('OLA@example.com');
      await dialog.getByRole('button', { name: 'Add agent' }).click();
      await see(dialog.getByText('Another agent already logs in with this email.'));
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      await row('Ola Agent').getByRole('button', { name: 'Edit Ola Agent' }).click();
      await dialog.getByRole('combobox', { name: 'Role' }).click();
      await page.getByRole('option', { name: 'Administrator' }).click();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await seeNo(dialog);
      await see(row('Ola Agent').getByText('Administrator'));

      const ola = await newPage();
      await loginAs(ola, 'ola@example.com', 'another horse battery');
      await row('Ola Agent').getByRole('button', { name: 'Deactivate: Ola Agent' }).click();
      await see(page.getByRole('dialog').getByText('They are logged out at once'));
      await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
      await see(row('Ola Agent').getByText('Deactivated'));
      // Ola's open console is logged out on its next request.
      await ola.reload();
      await see(ola.getByRole('heading', { name: 'Log in to Kunde' }));
      await ola.context().close();

      // The last active administrator cannot be demoted: the refusal shows on the role field.
      await row('Anne Admin').getByRole('button', { name: 'Edit Anne Admin' }).click();
      await dialog.getByRole('combobox', { name: 'Role' }).click();
      await page.getByRole('option', { name: 'Agent', exact: true }).click();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await see(dialog.getByText('The account must keep at least one active administrator.'));
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    } catch (error) {
      await screenshotOnFailure(page, 'agents page');
      throw error;
    }
  });

  it('invites an agent, who sets a password from the emailed link and logs in', async () => {
    try {
      await page.goto('/admin/agents');
      await page.getByRole('button', { name: 'Add agent' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('textbox', { name: 'Name' }).fill('Ina Invitert');
      await dialog.getByRole('textbox', { name: 'Email' }).fill('ina@example.com');
      await dialog.getByRole('button', { name: 'Add agent' }).click();
      await see(row('Ina Invitert').getByText('Invited'));

      const mail = await server.services.db.kysely
        .selectFrom('outbox')
        .select('body_text')
        .where('account_id', '=', accountId)
        .where('to_address', '=', 'ina@example.com')
        .executeTakeFirstOrThrow();
      const link = /http\S+\/set-password#\S+/.exec(mail.body_text)?.[0] ?? '';
      const ina = await newPage();
      await ina.goto(link.replace(/^http:\/\/[^/]+/, server.url));
      await see(ina.getByText('Welcome to Fjordhjelp, Ina Invitert.', { exact: false }));
      await ina.getByLabel('New password').fill('inas own password');
      await ina.getByLabel('Repeat the password').fill('inas own password');
      await ina.getByRole('button', { name: 'Set password' }).click();
      await see(ina.getByText('Your password is set.'));
      await ina.getByRole('link', { name: 'Go to login' }).click();
      await loginAs(ina, 'ina@example.com', 'inas own password');

      // The link works once.
      await ina.goto(link.replace(/^http:\/\/[^/]+/, server.url));
      await see(ina.getByText('This link has already been used.'));
      await ina.context().close();
      await page.reload();
      await see(row('Ina Invitert').getByText('Active'));
    } catch (error) {
      await screenshotOnFailure(page, 'agents invite');
      throw error;
    }
  });

  it('makes a role by ticking permissions; an agent holding it sees the console accordingly', async () => {
    try {
      await page.goto('/admin/roles');
      await see(page.getByRole('heading', { name: 'Roles', level: 1 }));
      await see(row('Administrator').getByText('Every permission'));
      await page.getByRole('button', { name: 'New role' }).click();
      const dialog = page.getByRole('dialog');
      // Every permission is listed with its explanation.
      await see(dialog.getByText("Build and download a customer's data archive."));
      await dialog.getByRole('textbox', { name: 'Name' }).fill('Customer desk');
      await dialog.getByRole('checkbox', { name: 'View customers' }).check();
      await dialog.getByRole('button', { name: 'Create role' }).click();
      await seeNo(dialog);
      await see(row('Customer desk').getByText(`1 of ${PERMISSIONS.length}`));

      const roles = await server.services.roles.list(accountId);
      const desk = roles.find((r) => r.name === 'Customer desk');
      await server.services.agentAdmin.create(accountId, {
        name: 'Kari Desk',
        email: 'kari.desk@example.com',
        password: 'kari desk password',
        roleId: desk?.id,
      });
      const kari = await newPage();
      await loginAs(kari, 'kari.desk@example.com', 'kari desk password');
      const nav = kari.getByRole('navigation');
      await see(nav.getByRole('link', { name: 'Organizations' }));
      expect(await nav.getByText('Tickets').count()).toBe(0);
      expect(await nav.getByText('Administration').count()).toBe(0);

      await row('Customer desk').getByRole('button', { name: 'Edit Customer desk' }).click();
      await dialog.getByRole('checkbox', { name: 'View tickets' }).check();
      await dialog.getByRole('checkbox', { name: 'Manage agents' }).check();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await seeNo(dialog);
      await see(row('Customer desk').getByText(`3 of ${PERMISSIONS.length}`));

      await kari.reload();
      await see(kari.getByRole('navigation').getByText('Tickets').first());
      await openMenuSection(kari, 'Administration');
      await see(kari.getByRole('navigation').getByRole('link', { name: 'Roles' }));
      expect(
        await kari.getByRole('navigation').getByRole('link', { name: 'Custom fields' }).count(),
      ).toBe(0);
      await kari.context().close();

      // The built-in Administrator is read-only.
      await row('Administrator').getByRole('button', { name: 'Edit Administrator' }).click();
      await see(dialog.getByText('always has every permission and cannot be changed'));
      expect(await dialog.getByRole('checkbox', { name: 'Delete customers' }).isChecked()).toBe(
        true,
      );
      expect(await dialog.getByRole('checkbox', { name: 'Delete customers' }).isDisabled()).toBe(
        true,
      );
      await dialog.getByRole('button', { name: 'Close' }).first().click();
    } catch (error) {
      await screenshotOnFailure(page, 'role editor');
      throw error;
    }
  });
});
