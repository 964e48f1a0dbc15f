// The permission matrix's rows for the customers' side: customers and erasure, settings,
// organizations with their domains, rules, contacts and locations, custom fields and types,
// imports and exports (the rest, and how a row reads, in permission-matrix-routes.ts).
import { email, id, org, raw, type MatrixEntry } from './permission-matrix.ts';

export const CUSTOMER_ROWS: Record<string, MatrixEntry> = {
  // Customers and erasure
  'GET /api/v1/customers': { guard: 'customers.view' },
  'POST /api/v1/customers': {
    guard: 'customers.create_edit',
    // Without an organization the scoped agent's team serves: 422 organization_required.
    cells: { scopedAgent: 422 },
    body: (c) => ({ email: email(c, 'customer') }),
    refs: (c) => ({
      email: email(c, 'customer'),
      organizationId: c.ids.organization,
      typeId: c.ids.customerType,
    }),
  },
  // Issue 16: bulk actions. A move to no organization is a move out of the scoped agent's
  // teams' organizations, refused with 422 served_organization_required.
  'POST /api/v1/customers/bulk': {
    guard: 'customers.create_edit',
    cells: { scopedAgent: 422 },
    body: (c) => ({ action: 'move', organizationId: 'none', customerIds: [c.ids.customer] }),
    // Ids select: another account's customers are left alone (changed: [], checked as such).
    foreignIds: [200],
  },
  'GET /api/v1/customers/:id': { guard: 'customers.view', params: id('customer') },
  'PATCH /api/v1/customers/:id': {
    guard: 'customers.create_edit',
    params: id('customer'),
    body: () => ({ firstName: 'Cell' }),
    refs: (c) => ({ organizationId: c.ids.organization, typeId: c.ids.customerType }),
  },
  'GET /api/v1/customers/:id/audit': { guard: 'customers.view', params: id('customer') },
  'GET /api/v1/customers/:id/erasure': { guard: 'customers.delete', params: id('customer') },
  'DELETE /api/v1/customers/:id': {
    guard: 'customers.delete',
    params: id('customer'),
    fresh: ['customer'],
  },
  'GET /api/v1/deleted-customers': { guard: 'customers.view' },
  // A customer's Customer Hub access (issue 14)
  'GET /api/v1/customers/:id/hub': { guard: 'customers.view', params: id('customer') },
  'PUT /api/v1/customers/:id/hub/organizations': {
    guard: 'customers.create_edit',
    params: id('customer'),
    body: () => ({ organizationIds: [] }),
    refs: (c) => ({ organizationIds: [c.ids.organization] }),
  },
  // Emails the customer a set-password link (the fixtures' account has its Hub on).
  'POST /api/v1/customers/:id/hub/invitation': {
    guard: 'customers.create_edit',
    params: id('customer'),
  },
  // Settings
  'GET /api/v1/settings/retention-preview': { guard: 'settings.manage', query: () => 'days=30' },
  'GET /api/v1/settings': { guard: 'customers.view' },
  'PATCH /api/v1/settings': { guard: 'settings.manage', body: () => ({ timeZone: 'Europe/Oslo' }) },
  'GET /api/v1/settings/hub': { guard: 'customers.view' },
  'PATCH /api/v1/settings/hub': {
    guard: 'settings.manage',
    body: () => ({ passwordSignIn: true, linkSignIn: true }),
  },
  // Organizations, domains, routing rules, contacts, locations
  'GET /api/v1/organizations': { guard: 'customers.view' },
  'POST /api/v1/organizations': {
    guard: 'customers.create_edit',
    // A new organization would be out of the scoped agent's scope the moment it exists.
    cells: { scopedAgent: 403 },
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
    refs: (c) => ({ assigneeId: c.ids.user }),
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
  'DELETE /api/v1/customer-imports/:id': {
    guard: 'customers.import',
    params: id('import'),
    fresh: ['import'],
  },
  'GET /api/v1/customer-imports/:id/fix.csv': {
    guard: 'customers.import',
    params: id('import'),
  },
  // Exports
  'GET /api/v1/customers/export.csv': { guard: 'customers.export' },
  // Issue 16: the selection's export; none of the ids visible is a 404.
  'POST /api/v1/customers/export.csv': {
    guard: 'customers.export',
    body: (c) => ({ customerIds: [c.ids.customer] }),
  },
  'POST /api/v1/customers/:id/exports': { guard: 'customers.export', params: id('customer') },
  'GET /api/v1/customers/:id/exports': { guard: 'customers.export', params: id('customer') },
  'GET /api/v1/exports': {
    guard: 'customers.export',
    query: (c) => `customerIds=${c.ids.customer}`,
    // A filter: another account's customers match nothing (an empty list, checked as such).
    foreignIds: [200],
  },
  'GET /api/v1/exports/:id/download': { guard: 'customers.export', params: id('export') },
};
