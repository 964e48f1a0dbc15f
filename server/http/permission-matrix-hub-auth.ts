// The permission matrix's rows for the Customer Hub's sign-in (/api/hub/v1, issue 14): no agent
// credential opens a Hub route (the edge reads only the Hub's cookie there: ownCredential, 401
// for every principal of the matrix), and the public ones answer everyone alike. The fixtures'
// accounts have their Hub off, so a Hub address is 404 hub_not_found and a link 400.
import type { MatrixEntry } from './permission-matrix.ts';

const NO_HUB = { status: 404, why: "the fixtures' accounts have the Customer Hub off" };
const site = { slug: 'hubSite' } as const;

export const HUB_AUTH_ROWS: Record<string, MatrixEntry> = {
  'GET /api/hub/v1/site': { guard: 'public', ok: NO_HUB },
  'GET /api/hub/v1/sites/:slug': { guard: 'public', params: site, ok: NO_HUB },
  'POST /api/hub/v1/sites/:slug/sign-in': {
    guard: 'public',
    params: site,
    ok: NO_HUB,
    body: (c) => ({ email: c.login.email, password: c.login.password }),
  },
  'POST /api/hub/v1/sites/:slug/sign-in-links': {
    guard: 'public',
    params: site,
    ok: NO_HUB,
    body: (c) => ({ email: c.login.email }),
  },
  'POST /api/hub/v1/sites/:slug/password-resets': {
    guard: 'public',
    params: site,
    ok: NO_HUB,
    body: (c) => ({ email: c.login.email }),
  },
  'POST /api/hub/v1/sites/:slug/registrations': {
    guard: 'public',
    params: site,
    ok: NO_HUB,
    body: (c) => ({ email: c.login.email, name: 'Cell' }),
  },
  'POST /api/hub/v1/links/redeem': {
    guard: 'public',
    ok: { status: 400, why: 'no Hub link is valid in the fixtures: invalid_link' },
    body: () => ({ token: 'not.a-link' }),
  },
  'POST /api/hub/v1/sign-out': { guard: 'ownCredential' },
  'GET /api/hub/v1/me': { guard: 'ownCredential' },
  'PATCH /api/hub/v1/me': { guard: 'ownCredential', body: () => ({ locale: 'en' }) },
  'PUT /api/hub/v1/me/password': {
    guard: 'ownCredential',
    body: () => ({ password: 'a long enough password' }),
  },
};
