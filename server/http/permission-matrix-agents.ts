// The permission matrix's rows for the support team (permission-matrix-routes.ts says how a row
// reads): agents as an administrator manages them, the public set-password links, roles and
// teams. Deactivation uses a fresh agent per cell, so the account's last administrator is never
// the one switched off; the roles edited and deleted are custom ones (the built-in
// Administrator's permissions are read-only).
import { email, id, type MatrixEntry } from './permission-matrix.ts';

export const AGENT_ROWS: Record<string, MatrixEntry> = {
  'GET /api/v1/users': { guard: 'agents.manage' },
  'GET /api/v1/agents': { guard: 'tickets.view' },
  'POST /api/v1/users': {
    guard: 'agents.manage',
    body: (c) => ({ email: email(c, 'user'), name: 'Cell', password: 'correct horse battery' }),
    refs: (c) => ({
      email: email(c, 'user'),
      name: 'Cell',
      password: 'correct horse battery',
      roleId: c.ids.role,
    }),
  },
  'GET /api/v1/users/:id': { guard: 'agents.manage', params: id('user') },
  'PATCH /api/v1/users/:id': {
    guard: 'agents.manage',
    params: id('user'),
    body: () => ({ name: 'Cell Agent' }),
    refs: (c) => ({ roleId: c.ids.role, teamIds: [c.ids.team] }),
  },
  'POST /api/v1/users/:id/deactivate': {
    guard: 'agents.manage',
    params: id('user'),
    fresh: ['user'],
  },
  // The fixture's agent is active: reactivating is a no-op that answers with them.
  'POST /api/v1/users/:id/reactivate': { guard: 'agents.manage', params: id('user') },
  'POST /api/v1/users/:id/reset-password': { guard: 'agents.manage', params: id('user') },
  // The link is the credential (the invited agent has no session): anyone holding one, of any
  // account, gets the same answer.
  'GET /api/v1/password-links/:token': { guard: 'public', params: { token: 'passwordLink' } },
  'POST /api/v1/password-links/:token': {
    guard: 'public',
    params: { token: 'passwordLink' },
    fresh: ['passwordLink'],
    body: () => ({ password: 'a password set with the link' }),
  },
  'GET /api/v1/roles': { guard: 'agents.manage' },
  'POST /api/v1/roles': {
    guard: 'agents.manage',
    body: (c) => ({ name: c.unique('Role '), permissions: ['customers.view'] }),
  },
  'PATCH /api/v1/roles/:id': {
    guard: 'agents.manage',
    params: id('role'),
    body: (c) => ({ name: c.unique('Role ') }),
  },
  'DELETE /api/v1/roles/:id': { guard: 'agents.manage', params: id('role'), fresh: ['role'] },
  'GET /api/v1/teams': { guard: 'tickets.view' },
  'POST /api/v1/teams': {
    guard: 'agents.manage',
    body: (c) => ({ name: c.unique('Team ') }),
    refs: (c) => ({ name: c.unique('Team '), memberIds: [c.ids.user] }),
  },
  'PATCH /api/v1/teams/:id': {
    guard: 'agents.manage',
    params: id('team'),
    body: (c) => ({ name: c.unique('Team ') }),
    refs: (c) => ({ memberIds: [c.ids.user] }),
  },
  'DELETE /api/v1/teams/:id': { guard: 'agents.manage', params: id('team'), fresh: ['team'] },
};
