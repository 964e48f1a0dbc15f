// The rows of the permission matrix (permission-matrix.ts): one per route of apiRoutes(), keyed
// "METHOD URL". A new route needs a row here, or permission-matrix.test.ts fails naming it. The
// guard is what should let a request in, written from what the route does, not copied from it.
// The customers' side (customers, organizations, fields, imports, exports) is in
// permission-matrix-customers.ts, the support team's (agents, roles, teams) in
// permission-matrix-agents.ts, the Customer Hub's (/api/hub/v1) in permission-matrix-hub.ts; issue 15's in
// permission-matrix-merges.ts, -org-merges.ts, -duplicates.ts and -webhooks.ts. `cells` exceptions for the scoped agent say why they differ
// from an Agent.
import { AGENT_ROWS } from './permission-matrix-agents.ts';
import { CUSTOMER_ROWS } from './permission-matrix-customers.ts';
import { DUPLICATE_ROWS } from './permission-matrix-duplicates.ts';
import { HUB_ROWS } from './permission-matrix-hub.ts';
import { CUSTOMER_MERGE_ROWS } from './permission-matrix-merges.ts';
import { ORGANIZATION_MERGE_ROWS } from './permission-matrix-org-merges.ts';
import { WEBHOOK_ROWS } from './permission-matrix-webhooks.ts';
import { email, id, org, raw, type BodyContext, type MatrixEntry } from './permission-matrix.ts';

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
  // The agent's own password (issue 16): the matrix keeps its agents' passwords, so it sends a
  // wrong current one; past the guard that is the 422 naming currentPassword.
  'POST /api/v1/me/password': {
    guard: 'authenticated',
    body: () => ({ currentPassword: 'not the password', password: 'a new password here' }),
    ok: { status: 422, why: 'a wrong current password: the matrix keeps its agents’ passwords' },
  },
  'POST /api/v1/password-reset': {
    guard: 'public',
    body: (c) => ({ email: `${c.unique('forgot')}@cells.example` }),
  },
  // Agents, roles, teams (permission-matrix-agents.ts); API tokens
  ...AGENT_ROWS,
  'GET /api/v1/tokens': { guard: 'authenticated' },
  'POST /api/v1/tokens': { guard: 'authenticated', body: () => ({ name: 'cell' }) },
  'DELETE /api/v1/tokens/:id': {
    guard: 'authenticated',
    params: id('token'),
    fresh: ['token'],
    // The token is the administrator's: another agent of the account cannot revoke it.
    cells: { 'agent/own': 404, 'scopedAgent/own': 404 },
  },
  ...CUSTOMER_ROWS,
  ...HUB_ROWS,
  ...CUSTOMER_MERGE_ROWS,
  ...ORGANIZATION_MERGE_ROWS,
  ...DUPLICATE_ROWS,
  ...WEBHOOK_ROWS,
  // Tickets and attachments
  'GET /api/v1/tickets': { guard: 'tickets.view' },
  'POST /api/v1/tickets': {
    guard: 'tickets.manage',
    // A new requester is in no organization the scoped agent's team serves: 422
    // ticket_out_of_scope, and nothing kept (the refs body, a contact of theirs, is allowed).
    cells: { scopedAgent: 422 },
    body: (c) => ({
      subject: 'Cell',
      message: 'Hello',
      requester: { email: email(c, 'requester') },
    }),
    refs: (c) => ({
      subject: 'Cell',
      message: 'Hello',
      requesterId: c.ids.contact,
      locationId: c.ids.location,
    }),
  },
  'GET /api/v1/tickets/:id': { guard: 'tickets.view', params: id('ticket') },
  'PATCH /api/v1/tickets/:id': {
    guard: 'tickets.manage',
    params: id('ticket'),
    body: () => ({ subject: 'Cell subject' }),
    refs: (c) => ({ assigneeId: c.ids.user, teamId: c.ids.team }),
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
    refs: (c) => ({ supportManagerId: c.ids.user }),
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
    refs: (c) => ({ agentId: c.ids.user }),
  },
  'DELETE /api/v1/notification-groups/:id/members/:memberId': {
    guard: 'customers.create_edit',
    params: id('notificationGroup', { memberId: 'member' }),
    fresh: ['member'],
  },
  // Outbox
  'GET /api/v1/outbox': { guard: 'settings.manage' },
  // Issue 16: release, retry, discard. The matrix server has no SMTP_URL, so release and retry
  // are refused with a 409 past the guard; a discard consumes its email.
  'POST /api/v1/outbox/:id/release': {
    guard: 'settings.manage',
    params: id('outboxEmail'),
    ok: { status: 409, why: 'this server has no SMTP_URL: held mail cannot be released' },
  },
  'POST /api/v1/outbox/:id/retry': {
    guard: 'settings.manage',
    params: id('outboxEmail'),
    ok: { status: 409, why: 'no SMTP_URL, and the email is held, not failed' },
  },
  'POST /api/v1/outbox/:id/discard': {
    guard: 'settings.manage',
    params: id('outboxEmail'),
    fresh: ['outboxEmail'],
  },
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
  'GET /api/v1/settings/webhook-secrets': { guard: 'settings.manage' },
  // Platform and operations: their own tokens
  'POST /api/platform/v1/accounts': { guard: 'ownCredential' },
  'GET /api/platform/v1/accounts': { guard: 'ownCredential' },
  'GET /api/ready': { guard: 'public' },
  'GET /metrics': { guard: 'ownCredential' },
};
