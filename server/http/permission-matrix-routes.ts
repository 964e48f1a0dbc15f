// The rows of the permission matrix (permission-matrix.ts): one per route of apiRoutes(), keyed
// "METHOD URL". A new route needs a row here, or permission-matrix.test.ts fails naming it. The
// guard is what should let a request in, written from what the route does, not copied from it.
import type { BodyContext, MatrixEntry, ObjectKind } from './permission-matrix.ts';

const id = (kind: ObjectKind, more: Record<string, ObjectKind> = {}) => ({ id: kind, ...more });
const org = (more: Record<string, ObjectKind> = {}) => id('organization', more);
const email = (c: BodyContext, what: string) => `${c.unique(what)}@cells.example`;
const raw = (type: string, data: string) => ({ type, data });

/** A message posted to the inbound webhook, from a sender unique to the cell. */
const mail = (c: BodyContext) =>
  raw(
    'message/rfc822',
    `From: <${email(c, 'mail')}>\r\nTo: support@cells.example\r\nSubject: Cell\r\n\r\nHello\r\n`,
  );

export const MATRIX_ROUTES: Record<string, MatrixEntry> = {
  // Session and setup
  'GET /api/v1/setup': { guard: 'public' },
  'POST /api/v1/setup': {
    guard: 'public',
    ok: { status: 409, why: 'the database has accounts: setup is done for everyone' },
  },
  'POST /api/v1/session': {
    guard: 'public',
    consumesSession: true,
    body: (c) => c.login,
  },
  'GET /api/v1/session': { guard: 'authenticated' },
  'DELETE /api/v1/session': { guard: 'authenticated', consumesSession: true },
  'PATCH /api/v1/me': { guard: 'authenticated', body: () => ({ locale: 'en' }) },
  // Agents, roles, tokens
  'GET /api/v1/users': { guard: 'agents.manage' },
  'GET /api/v1/agents': { guard: 'tickets.view' },
  'POST /api/v1/users': {
    guard: 'agents.manage',
    body: (c) => ({ email: email(c, 'user'), name: 'Cell', password: 'correct horse battery' }),
  },
  'GET /api/v1/roles': { guard: 'agents.manage' },
  'GET /api/v1/tokens': { guard: 'authenticated' },
  'POST /api/v1/tokens': { guard: 'authenticated', body: () => ({ name: 'cell' }) },
  'DELETE /api/v1/tokens/:id': {
    guard: 'authenticated',
    params: id('token'),
    fresh: ['token'],
    // The token is the administrator's: another agent of the account cannot revoke it.
    cells: { 'agent/own': 404 },
  },
  // Customers and erasure
  'GET /api/v1/customers': { guard: 'customers.view' },
  'POST /api/v1/customers': {
    guard: 'customers.create_edit',
    body: (c) => ({ email: email(c, 'customer') }),
  },
  'GET /api/v1/customers/:id': { guard: 'customers.view', params: id('customer') },
  'PATCH /api/v1/customers/:id': {
    guard: 'customers.create_edit',
    params: id('customer'),
    body: () => ({ firstName: 'Cell' }),
  },
  'GET /api/v1/customers/:id/audit': { guard: 'customers.view', params: id('customer') },
  'GET /api/v1/customers/:id/erasure': { guard: 'customers.delete', params: id('customer') },
  'DELETE /api/v1/customers/:id': {
    guard: 'customers.delete',
    params: id('customer'),
    fresh: ['customer'],
  },
  'GET /api/v1/deleted-customers': { guard: 'customers.view' },
  // Settings
  'GET /api/v1/settings/retention-preview': { guard: 'settings.manage', query: () => 'days=30' },
  'GET /api/v1/settings': { guard: 'customers.view' },
  'PATCH /api/v1/settings': { guard: 'settings.manage', body: () => ({ timeZone: 'Europe/Oslo' }) },
  // Organizations, domains, routing rules, contacts, locations
  'GET /api/v1/organizations': { guard: 'customers.view' },
  'POST /api/v1/organizations': {
    guard: 'customers.create_edit',
    body: (c) => ({ name: c.unique('Cell ') }),
  },
  'GET /api/v1/organizations/:id': { guard: 'customers.view', params: org() },
  'PATCH /api/v1/organizations/:id': {
    guard: 'customers.create_edit',
    params: org(),
    body: (c) => ({ name: c.unique('Renamed ') }),
  },
  'DELETE /api/v1/organizations/:id': {
    guard: 'customers.delete',
    params: org(),
    fresh: ['organization'],
  },
  'POST /api/v1/organizations/:id/domains': {
    guard: 'customers.create_edit',
    params: org(),
    body: (c) => ({ domain: `${c.unique('d')}.cells.example` }),
  },
  'GET /api/v1/organizations/:id/domains/:domain': {
    guard: 'customers.view',
    params: org({ domain: 'domain' }),
  },
  'POST /api/v1/organizations/:id/domains/:domain/group': {
    guard: 'customers.create_edit',
    params: org({ domain: 'domain' }),
  },
  'DELETE /api/v1/organizations/:id/domains/:domain': {
    guard: 'customers.create_edit',
    params: org({ domain: 'domain' }),
    fresh: ['domain'],
  },
  'POST /api/v1/organizations/:id/customers': {
    guard: 'customers.create_edit',
    params: org(),
    body: (c) => ({ customerIds: [c.ids.customer] }),
  },
  'GET /api/v1/organizations/:id/rules': { guard: 'customers.view', params: org() },
  'POST /api/v1/organizations/:id/rules': {
    guard: 'settings.manage',
    params: org(),
    body: (c) => ({ teamId: c.ids.team }),
  },
  'DELETE /api/v1/organizations/:id/rules/:ruleId': {
    guard: 'settings.manage',
    params: org({ ruleId: 'rule' }),
    fresh: ['rule'],
  },
  'GET /api/v1/organizations/:id/contacts': { guard: 'customers.view', params: org() },
  'POST /api/v1/organizations/:id/contacts': {
    guard: 'customers.create_edit',
    params: org(),
    body: (c) => ({ email: email(c, 'contact') }),
  },
  'GET /api/v1/organizations/:id/contacts/:customerId': {
    guard: 'customers.view',
    params: org({ customerId: 'contact' }),
  },
  'PATCH /api/v1/organizations/:id/contacts/:customerId': {
    guard: 'customers.create_edit',
    params: org({ customerId: 'contact' }),
    body: () => ({ firstName: 'Cell' }),
  },
  'GET /api/v1/organizations/:id/locations': { guard: 'customers.view', params: org() },
  'POST /api/v1/organizations/:id/locations': {
    guard: 'customers.create_edit',
    params: org(),
    body: (c) => ({ name: c.unique('Office ') }),
  },
  'GET /api/v1/organizations/:id/locations/:locationId': {
    guard: 'customers.view',
    params: org({ locationId: 'location' }),
  },
  'PATCH /api/v1/organizations/:id/locations/:locationId': {
    guard: 'customers.create_edit',
    params: org({ locationId: 'location' }),
    body: (c) => ({ name: c.unique('Office ') }),
  },
  'POST /api/v1/organizations/:id/locations/:locationId/areas': {
    guard: 'customers.create_edit',
    params: org({ locationId: 'location' }),
    body: (c) => ({ name: c.unique('Floor ') }),
  },
  'PATCH /api/v1/organizations/:id/locations/:locationId/areas/:areaId': {
    guard: 'customers.create_edit',
    params: org({ locationId: 'location', areaId: 'area' }),
    body: (c) => ({ name: c.unique('Floor ') }),
  },
  // Custom fields, the detail panel, customer types
  'GET /api/v1/custom-fields': { guard: 'customers.view' },
  'POST /api/v1/custom-fields': {
    guard: 'settings.manage',
    body: (c) => ({
      entity: 'customer',
      key: c.unique('k').replace(/\W/g, '_').slice(0, 40),
      label: 'Cell',
      type: 'text',
    }),
  },
  'PATCH /api/v1/custom-fields/:id': {
    guard: 'settings.manage',
    params: id('customField'),
    body: () => ({ label: 'Cell field' }),
  },
  'DELETE /api/v1/custom-fields/:id': {
    guard: 'settings.manage',
    params: id('customField'),
    fresh: ['customField'],
  },
  'GET /api/v1/settings/customer-panel': { guard: 'customers.view' },
  'PUT /api/v1/settings/customer-panel': { guard: 'settings.manage' },
  'GET /api/v1/customer-types': { guard: 'customers.view' },
  'POST /api/v1/customer-types': {
    guard: 'settings.manage',
    body: (c) => ({ name: c.unique('Type ') }),
  },
  'PATCH /api/v1/customer-types/:id': {
    guard: 'settings.manage',
    params: id('customerType'),
    body: (c) => ({ name: c.unique('Type ') }),
  },
  'DELETE /api/v1/customer-types/:id': {
    guard: 'settings.manage',
    params: id('customerType'),
    fresh: ['customerType'],
  },
  // Imports
  'GET /api/v1/customer-imports/template.csv': { guard: 'customers.import' },
  'POST /api/v1/customer-imports': {
    guard: 'customers.import',
    body: (c) => raw('text/csv', `email\r\n${email(c, 'row')}\r\n`),
  },
  'GET /api/v1/customer-imports': { guard: 'customers.import' },
  'GET /api/v1/customer-imports/:id': { guard: 'customers.import', params: id('import') },
  'POST /api/v1/customer-imports/:id/preview': {
    guard: 'customers.import',
    params: id('import'),
    body: () => ({}),
  },
  'POST /api/v1/customer-imports/:id/start': {
    guard: 'customers.import',
    params: id('import'),
    fresh: ['import'],
    body: () => ({}),
  },
  'GET /api/v1/customer-imports/:id/errors.csv': {
    guard: 'customers.import',
    params: id('import'),
  },
  // Exports
  'GET /api/v1/customers/export.csv': { guard: 'customers.export' },
  'POST /api/v1/customers/:id/exports': { guard: 'customers.export', params: id('customer') },
  'GET /api/v1/customers/:id/exports': { guard: 'customers.export', params: id('customer') },
  'GET /api/v1/exports': {
    guard: 'customers.export',
    query: (c) => `customerIds=${c.ids.customer}`,
  },
  'GET /api/v1/exports/:id/download': { guard: 'customers.export', params: id('export') },
  // Tickets and attachments
  'GET /api/v1/tickets': { guard: 'tickets.view' },
  'POST /api/v1/tickets': {
    guard: 'tickets.manage',
    body: (c) => ({
      subject: 'Cell',
      message: 'Hello',
      requester: { email: email(c, 'requester') },
    }),
  },
  'GET /api/v1/tickets/:id': { guard: 'tickets.view', params: id('ticket') },
  'PATCH /api/v1/tickets/:id': {
    guard: 'tickets.manage',
    params: id('ticket'),
    body: () => ({ subject: 'Cell subject' }),
  },
  'POST /api/v1/tickets/:id/messages': {
    guard: 'tickets.manage',
    params: id('ticket'),
    body: () => ({ text: 'A reply' }),
  },
  'GET /api/v1/customers/:id/tickets': { guard: 'tickets.view', params: id('customer') },
  'GET /api/v1/attachments/:id': { guard: 'tickets.view', params: id('attachment') },
  // Contracts and time
  'GET /api/v1/organizations/:id/contracts': { guard: 'customers.view', params: org() },
  'POST /api/v1/organizations/:id/contracts': {
    guard: 'customers.create_edit',
    params: org(),
    body: (c) => ({
      description: 'Cell contract',
      customerContactId: c.ids.contact,
      supportContactId: c.ids.user,
    }),
  },
  'GET /api/v1/contracts/:id': { guard: 'customers.view', params: id('contract') },
  'PATCH /api/v1/contracts/:id': {
    guard: 'customers.create_edit',
    params: id('contract'),
    body: () => ({ description: 'Cell contract, renamed' }),
  },
  'DELETE /api/v1/contracts/:id': {
    guard: 'customers.delete',
    params: id('contract'),
    fresh: ['contract'],
  },
  'GET /api/v1/contracts/:id/tickets': { guard: 'tickets.view', params: id('contract') },
  'GET /api/v1/contracts/:id/time-entries': { guard: 'tickets.view', params: id('contract') },
  'GET /api/v1/contracts/:id/time-entries.csv': {
    guard: 'tickets.view',
    params: id('contract'),
    query: () => 'month=2026-12',
  },
  'GET /api/v1/tickets/:id/time-entries': { guard: 'tickets.view', params: id('ticket') },
  'POST /api/v1/tickets/:id/time-entries': {
    guard: 'tickets.manage',
    params: id('ticket'),
    body: () => ({ minutes: 1, workDate: '2026-12-01' }),
  },
  'GET /api/v1/tickets/:id/time-entries/audit': { guard: 'tickets.view', params: id('ticket') },
  'PATCH /api/v1/time-entries/:id': {
    guard: 'tickets.manage',
    params: id('timeEntry'),
    body: () => ({ minutes: 2 }),
  },
  'DELETE /api/v1/time-entries/:id': {
    guard: 'tickets.manage',
    params: id('timeEntry'),
    fresh: ['timeEntry'],
  },
  // Notification groups
  'GET /api/v1/organizations/:id/notification-groups': { guard: 'customers.view', params: org() },
  'POST /api/v1/organizations/:id/notification-groups': {
    guard: 'customers.create_edit',
    params: org(),
    body: (c) => ({ name: c.unique('Group '), events: ['ticket_created'] }),
  },
  'GET /api/v1/notification-groups/:id': {
    guard: 'customers.view',
    params: id('notificationGroup'),
  },
  'PATCH /api/v1/notification-groups/:id': {
    guard: 'customers.create_edit',
    params: id('notificationGroup'),
    body: (c) => ({ name: c.unique('Group ') }),
  },
  'DELETE /api/v1/notification-groups/:id': {
    guard: 'customers.create_edit',
    params: id('notificationGroup'),
    fresh: ['notificationGroup'],
  },
  'POST /api/v1/notification-groups/:id/members': {
    guard: 'customers.create_edit',
    params: id('notificationGroup'),
    body: (c) => ({ email: email(c, 'member') }),
  },
  'DELETE /api/v1/notification-groups/:id/members/:memberId': {
    guard: 'customers.create_edit',
    params: id('notificationGroup', { memberId: 'member' }),
    fresh: ['member'],
  },
  // Teams, outbox
  'GET /api/v1/teams': { guard: 'tickets.view' },
  'POST /api/v1/teams': { guard: 'agents.manage', body: (c) => ({ name: c.unique('Team ') }) },
  'DELETE /api/v1/teams/:id': { guard: 'agents.manage', params: id('team'), fresh: ['team'] },
  'GET /api/v1/outbox': { guard: 'settings.manage' },
  // Inbound email and SMS: the webhooks take their own secret, or (email) an administrator
  'POST /api/v1/inbound/email': { guard: 'settings.manage', body: mail },
  'POST /api/v1/settings/email-webhook-secret': { guard: 'settings.manage' },
  'GET /api/v1/inbound/emails': { guard: 'settings.manage' },
  'GET /api/v1/inbound/emails/:id': { guard: 'settings.manage', params: id('inboundEmail') },
  'GET /api/v1/inbound/emails/:id/raw': { guard: 'settings.manage', params: id('inboundEmail') },
  'POST /api/v1/inbound/emails/:id/retry': {
    guard: 'settings.manage',
    params: id('inboundEmail'),
    ok: { status: 409, why: 'the email was processed: the handler looked and refused a retry' },
  },
  'POST /api/v1/inbound/sms': { guard: 'ownCredential' },
  'POST /api/v1/settings/sms-webhook-secret': { guard: 'settings.manage' },
  // Platform and operations: their own tokens
  'POST /api/platform/v1/accounts': { guard: 'ownCredential' },
  'GET /api/platform/v1/accounts': { guard: 'ownCredential' },
  'GET /api/ready': { guard: 'public' },
  'GET /metrics': { guard: 'ownCredential' },
};
