// The Customer Hub's rows of the permission matrix (permission-matrix-routes.ts spreads them in):
// the public pages before sign-in, answered alike to anyone holding the address, and the signed-in
// customer's routes (guard 'hub'), where only a Hub session gets in and only to the customer's own
// tickets and files: another customer's of the account (the outOfScope column) and another
// account's are 404. The agents' side of the Hub (settings, a customer's access, the invitation)
// sits with the customers' rows.
import { email, id, type MatrixEntry } from './permission-matrix.ts';

const site = { slug: 'hubSite' } as const;

export const HUB_ROWS: Record<string, MatrixEntry> = {
  // Before sign-in: anyone who knows the address
  'GET /api/hub/v1/site': {
    guard: 'public',
    ok: { status: 404, why: 'both accounts have their Hub on: plain /hub names none of them' },
  },
  'GET /api/hub/v1/sites/:slug': { guard: 'public', params: site },
  'POST /api/hub/v1/sites/:slug/sign-in': {
    guard: 'public',
    params: site,
    ok: { status: 401, why: 'a sampled password: invalid_credentials, the same for everyone' },
    body: (c) => ({ email: email(c, 'hub-sign-in'), password: 'not the password' }),
  },
  'POST /api/hub/v1/sites/:slug/sign-in-links': {
    guard: 'public',
    params: site,
    body: (c) => ({ email: email(c, 'hub-link') }),
  },
  'POST /api/hub/v1/sites/:slug/password-resets': {
    guard: 'public',
    params: site,
    body: (c) => ({ email: email(c, 'hub-reset') }),
  },
  'POST /api/hub/v1/sites/:slug/registrations': {
    guard: 'public',
    params: site,
    body: (c) => ({ email: email(c, 'hub-register'), name: 'Cell Customer' }),
  },
  'POST /api/hub/v1/links/redeem': {
    guard: 'public',
    ok: { status: 400, why: 'a sampled token: invalid_link, whoever sends it' },
    body: () => ({ token: 'not-a-link-from-any-email' }),
  },
  // Signed in: the Hub customer's session
  'POST /api/hub/v1/sign-out': { guard: 'hub', consumesSession: true },
  'GET /api/hub/v1/me': { guard: 'hub' },
  'PATCH /api/hub/v1/me': { guard: 'hub', body: () => ({ firstName: 'Cell' }) },
  'PUT /api/hub/v1/me/password': {
    guard: 'hub',
    // Changing it ends the customer's other sessions (each Hub cell has its own anyway).
    consumesSession: true,
    body: () => ({ password: 'a new matrix password' }),
  },
  'GET /api/hub/v1/tickets': { guard: 'hub' },
  // JSON bodies: the routes take multipart with files or plain JSON.
  'POST /api/hub/v1/tickets': {
    guard: 'hub',
    body: () => ({ subject: 'Cell', message: 'Raised in a cell' }),
  },
  'GET /api/hub/v1/tickets/:id': { guard: 'hub', params: id('hubTicket') },
  'POST /api/hub/v1/tickets/:id/messages': {
    guard: 'hub',
    params: id('hubTicket'),
    body: () => ({ text: 'A reply from the Hub' }),
  },
  'POST /api/hub/v1/tickets/:id/resolve': { guard: 'hub', params: id('hubTicket') },
  'GET /api/hub/v1/attachments/:id': { guard: 'hub', params: id('hubAttachment') },
};
