// The one Database interface: every table Kunde keeps, as Kysely sees it.
// Timestamps are ISO-8601 strings and JSON columns are JSON text on both dialects
// (connect.ts sets the PostgreSQL type parsers so that this holds there too).
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface AccountTable {
  account_id: string;
  name: string;
  settings: string;
  created_at: string;
}

export interface CounterTable {
  account_id: string;
  name: string;
  value: number;
}

export interface RoleTable {
  account_id: string;
  id: string;
  name: string;
  permissions: string;
  built_in: string | null;
  created_at: string;
}

export interface UserTable {
  account_id: string;
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  role_id: string;
  locale: string;
  status: string;
  created_at: string;
  updated_at: string;
}

/** Reference table: which account an agent's login email belongs to (the one global lookup). */
export interface LoginDirectoryTable {
  email: string;
  account_id: string;
  user_id: string;
}

export interface SessionTable {
  account_id: string;
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface ApiTokenTable {
  account_id: string;
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** A set-password link's token (an invitation or a reset): single-use, expiring, kept as a hash. */
export interface PasswordTokenTable {
  account_id: string;
  id: string;
  user_id: string;
  token_hash: string;
  purpose: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface CustomerTable {
  account_id: string;
  id: string;
  number: number;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  custom_attributes: string;
  status: string;
  created_via: string;
  search_text: string;
  last_activity_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  organization_id: string | null;
  type_id: string | null;
  email_domain: string | null;
  /** The import that last matched this customer, and its row: a row is never imported twice. */
  import_id: string | null;
  import_row: number | null;
  /** The import that created this customer, and its row (the audit trail's "created" entry). */
  created_import_id: string | null;
  created_import_row: number | null;
  /** Issue 12: a location of the customer's organization their new tickets start at. */
  default_location_id: string | null;
  /** Issue 14: 1 while the customer may use the Customer Hub (the agent's switch). */
  hub_access: number;
  /** Issue 15: the survivor this customer was merged into (status 'merged'); else null. */
  merged_into_id: string | null;
}

export interface CustomerIdentityTable {
  account_id: string;
  kind: 'email' | 'phone';
  value: string;
  customer_id: string;
  created_at: string;
}

export interface CustomerAuditTable {
  account_id: string;
  id: string;
  customer_id: string;
  action: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  changes: string;
  /** JSON: the name each organization or type id in `changes` had when the entry was written. */
  ref_names: string;
  created_at: string;
}

export interface OrganizationTable {
  account_id: string;
  id: string;
  name: string;
  /** Lower-cased name: names are unique per account regardless of case. */
  name_key: string;
  notes: string | null;
  custom_fields: string;
  auto_created: number;
  created_at: string;
  updated_at: string;
  /** Issue 15: the survivor this organization was merged into; else null. */
  merged_into_id: string | null;
}

export interface OrganizationDomainTable {
  account_id: string;
  domain: string;
  organization_id: string;
  created_at: string;
}

export interface CustomerTypeTable {
  account_id: string;
  id: string;
  name: string;
  name_key: string;
  position: number;
  created_at: string;
}

export interface CustomFieldTable {
  account_id: string;
  id: string;
  entity: string;
  key: string;
  label: string;
  label_nb: string | null;
  type: string;
  required: number;
  options: string;
  pattern: string | null;
  position: number;
  created_at: string;
}

export interface JobTable {
  account_id: string;
  id: string;
  kind: string;
  payload: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface CustomerImportTable {
  account_id: string;
  id: string;
  status: string;
  filename: string;
  file_key: string;
  file_sha256: string;
  size_bytes: number;
  idempotency_key: string | null;
  encoding: string;
  delimiter: string;
  header: string;
  mapping: string;
  mode: string;
  dry_run: number;
  overwrite_empty: number;
  total_rows: number;
  processed_rows: number;
  created_count: number;
  updated_count: number;
  unchanged_count: number;
  failed_count: number;
  error: string | null;
  created_by: string | null;
  created_by_name: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface CustomerImportErrorTable {
  account_id: string;
  import_id: string;
  row_number: number;
  seq: number;
  column_name: string;
  value: string | null;
  /** The English sentence, as the machine layout of the report writes it. */
  reason: string;
  /** The reason's stable code (an import reason or a field error code); null before codes. */
  code: string | null;
  /** JSON of the code's params; null when it has none. */
  params: string | null;
}

export interface CustomerImportKeyTable {
  account_id: string;
  import_id: string;
  identity: string;
  row_number: number;
}

export interface TicketTable {
  account_id: string;
  id: string;
  number: number;
  subject: string;
  status: string;
  channel: string;
  requester_id: string;
  organization_id: string | null;
  assignee_id: string | null;
  team_id: string | null;
  /** Where at the organization (issue 12): a location of the ticket's organization, an area in it. */
  location_id: string | null;
  area_id: string | null;
  /** The organization's contract the ticket's time counts against (issue 12). */
  contract_id: string | null;
  message_count: number;
  last_message_at: string;
  created_at: string;
  updated_at: string;
}

export interface TicketMessageTable {
  account_id: string;
  id: string;
  ticket_id: string;
  author_type: 'customer' | 'agent' | 'system';
  customer_id: string | null;
  user_id: string | null;
  author_name: string;
  channel: string;
  body_text: string;
  body_html: string | null;
  email_message_id: string | null;
  created_at: string;
  /** Issue 14: 1 for an agent's internal note (never emailed, never shown in the Hub). */
  internal: number;
  /** Issue 14: when the requester first saw it in the Customer Hub. */
  hub_seen_at: string | null;
}

export interface TicketAttachmentTable {
  account_id: string;
  id: string;
  ticket_id: string;
  message_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  file_key: string;
  created_at: string;
}

export interface TeamTable {
  account_id: string;
  id: string;
  name: string;
  name_key: string;
  /** Issue 13: 'all' (every ticket) or 'organizations' (the ones in team_access). */
  access: string;
  created_at: string;
}

/** An organization a team with access 'organizations' serves, or one location or area of it. */
export interface TeamAccessTable {
  account_id: string;
  id: string;
  team_id: string;
  organization_id: string;
  location_id: string | null;
  area_id: string | null;
  created_at: string;
}

/** A stored file of the database file store (files/database-file-store.ts). */
export interface FileTable {
  account_id: string;
  key: string;
  /** Which chunks hold the content: a replaced file gets a new version. */
  version: string;
  /** bigint: a string on PostgreSQL. */
  size: number | string;
  sha256: string;
  chunk_size: number;
  created_at: string;
}

/** One piece of a stored file's content, in order of seq. */
export interface FileChunkTable {
  account_id: string;
  version: string;
  seq: number;
  data: Buffer;
}

/** Failed-login counts shared by the nodes (migration 20261205T0300); no account_id: see NODE_TABLES. */
export interface LoginThrottleTable {
  limiter: string;
  key_hash: string;
  count: number;
  /** Epoch milliseconds; PostgreSQL's bigint comes back as a string. */
  reset_at: number | string;
  last_reservation: string;
}

export interface TeamMemberTable {
  account_id: string;
  team_id: string;
  user_id: string;
}

export interface RoutingRuleTable {
  account_id: string;
  id: string;
  organization_id: string;
  assignee_id: string | null;
  team_id: string | null;
  position: number;
  created_at: string;
}

export interface OutboxTable {
  account_id: string;
  id: string;
  ticket_id: string | null;
  to_address: string;
  from_address: string;
  subject: string;
  body_text: string;
  message_id: string;
  in_reply_to: string | null;
  references: string | null;
  status: 'held' | 'queued' | 'sent' | 'failed' | 'discarded';
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  /** Why it is held (common/outbox.ts HOLD_REASONS); null once it is not. */
  hold_reason: string | null;
}

/** What an administrator did to an outbox email: released, retried or discarded it. */
export interface OutboxActionTable {
  account_id: string;
  id: string;
  outbox_id: string;
  action: 'released' | 'retried' | 'discarded';
  user_id: string | null;
  user_name: string;
  created_at: string;
}

export interface InboundEmailTable {
  account_id: string;
  id: string;
  file_key: string;
  mail_from: string | null;
  rcpt_to: string;
  status: 'received' | 'processed' | 'ignored' | 'failed';
  /** The reason it was ignored, or 'ticket'. */
  outcome: string | null;
  ticket_id: string | null;
  received_at: string;
  source: 'smtp' | 'webhook';
  attempts: number;
  last_error: string | null;
  header_from: string | null;
  subject: string | null;
  updated_at: string | null;
  retry_at: string | null;
}

/** A customer data archive (server/exports/): preparing → ready → expired, or failed. */
export interface CustomerExportTable {
  account_id: string;
  id: string;
  customer_id: string;
  requested_by: string | null;
  requested_by_name: string;
  /** The requesting agent's language: the README and the ready email speak it. */
  locale: string;
  state: 'preparing' | 'ready' | 'expired' | 'failed';
  /** exports/<accountId>/<exportId>.zip once ready; null again once expired. */
  file_key: string | null;
  size: number | null;
  error: string | null;
  created_at: string;
  ready_at: string | null;
  expires_at: string | null;
}

/** One erased customer (the Deleted Customers log): redacted identities only, never the values. */
export interface DeletedCustomerTable {
  account_id: string;
  id: string;
  customer_number: number;
  email_redacted: string | null;
  phone_redacted: string | null;
  reason: 'agent_request' | 'retention_policy';
  deleted_by_type: string;
  deleted_by_id: string | null;
  deleted_by_name: string;
  requested_at: string;
  deleted_at: string;
}

/** A location of an organization (an address); server/locations/. */
export interface OrganizationLocationTable {
  account_id: string;
  id: string;
  organization_id: string;
  name: string;
  /** Lower-cased name: unique per organization regardless of case. */
  name_key: string;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  phone: string | null;
  notes: string | null;
  active: number;
  created_at: string;
  updated_at: string;
}

/** An area inside a location (a floor, a department, a site). */
export interface OrganizationAreaTable {
  account_id: string;
  id: string;
  organization_id: string;
  location_id: string;
  name: string;
  name_key: string;
  description: string | null;
  active: number;
  created_at: string;
  updated_at: string;
}

/** Reference table: the account an inbound email address belongs to. */
export interface InboundAddressTable {
  address: string;
  account_id: string;
}

/** A contract of an organization (server/contracts/); hours kept in minutes. */
export interface ContractTable {
  account_id: string;
  id: string;
  organization_id: string;
  description: string;
  purchase_order: string | null;
  /** A customer of the organization. */
  customer_contact_id: string;
  /** Agents of the account. */
  support_contact_id: string;
  support_manager_id: string | null;
  /** YYYY-MM-DD, both ends included. */
  start_date: string | null;
  end_date: string | null;
  has_hour_restriction: number;
  budget_minutes: number | null;
  threshold_minutes: number | null;
  /** The sum of the minutes of its tickets' time entries, moved with every entry. */
  used_minutes: number;
  /** 1 once the threshold mail for the current crossing is queued; 0 again below it. */
  threshold_notified: number;
  created_at: string;
  updated_at: string;
}

export interface TimeEntryTable {
  account_id: string;
  id: string;
  ticket_id: string;
  contract_id: string | null;
  user_id: string;
  minutes: number;
  work_date: string;
  note: string | null;
  over_limit_confirmed: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface TimeEntryAuditTable {
  account_id: string;
  id: string;
  time_entry_id: string;
  ticket_id: string;
  action: 'created' | 'updated' | 'deleted';
  actor_type: string;
  actor_id: string | null;
  /** JSON: { field: { from, to } }, agents by id. */
  changes: string;
  created_at: string;
}

export interface NotificationGroupTable {
  account_id: string;
  id: string;
  organization_id: string;
  name: string;
  name_key: string;
  description: string | null;
  /** JSON array of NotificationEvent. */
  events: string;
  created_at: string;
  updated_at: string;
}

export interface NotificationGroupMemberTable {
  account_id: string;
  id: string;
  group_id: string;
  kind: 'customer' | 'agent' | 'email';
  customer_id: string | null;
  user_id: string | null;
  email: string | null;
  member_key: string;
  created_at: string;
}

/** Issue 14: a customer's Customer Hub sign-in; no row until they set a password or sign in. */
export interface HubLoginTable {
  account_id: string;
  customer_id: string;
  password_hash: string | null;
  locale: string | null;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
}

/** The Customer Hub's address, /hub/<slug> (issue 14): found before the account is known. */
export interface HubAddressTable {
  slug: string;
  account_id: string;
}

export interface HubSessionTable {
  account_id: string;
  id_hash: string;
  customer_id: string;
  created_at: string;
  expires_at: string;
}

export type HubTokenPurpose = 'sign_in' | 'password' | 'register';

export interface HubTokenTable {
  account_id: string;
  token_hash: string;
  purpose: HubTokenPurpose;
  customer_id: string | null;
  email: string;
  name: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface HubOrganizationGrantTable {
  account_id: string;
  customer_id: string;
  organization_id: string;
  created_at: string;
  created_by: string | null;
}

/** Issue 15: a merge of two customers (customer_merges) or organizations (organization_merges). */
export interface MergeTable {
  account_id: string;
  id: string;
  survivor_id: string;
  merged_id: string;
  /** JSON: both as they were, the values the survivor took over, every row that moved. */
  journal: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  created_at: string;
  undo_until: string;
  undone_at: string | null;
  undone_by_name: string | null;
}

/**
 * What a customer can be matched on for duplicate suggestions besides its identities
 * (server/duplicates/): kind 'name' (organization and folded name) or 'phone' (an E.164 number
 * in its custom attributes); detail is JSON.
 */
export interface CustomerMatchKeyTable {
  account_id: string;
  kind: 'name' | 'phone';
  key: string;
  customer_id: string;
  detail: string;
}

/** A pair of customers Kunde suspects are one person (customer_a < customer_b). */
export interface DuplicateSuggestionTable {
  account_id: string;
  id: string;
  customer_a: string;
  customer_b: string;
  /** JSON: DuplicateReason[] (common/merge.ts). */
  reasons: string;
  created_at: string;
  updated_at: string;
  dismissed_at: string | null;
  dismissed_by: string | null;
}

/**
 * An account's duplicate suggestion backfill (server/duplicates/duplicate-backfill.ts): its
 * customers kept up in id order, a batch a transaction, for customers written before upkeep.
 * One row per account that needs or needed one; after_id is where the walk resumes.
 */
export interface DuplicateBackfillTable {
  account_id: string;
  /** The last customer kept up (ids in order); null before the first batch. */
  after_id: string | null;
  /** Customers kept up since the backfill was (last) asked for. */
  customers_done: number;
  requested_at: string;
  updated_at: string;
  /** Set when the walk reached the last customer; null while there is more to do. */
  finished_at: string | null;
}

export interface WebhookEndpointTable {
  account_id: string;
  id: string;
  url: string;
  description: string | null;
  /** JSON: the WebhookEvent types it receives. */
  events: string;
  secret: string;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveryTable {
  account_id: string;
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  /** The customer the event is about: erasure deletes what is not yet sent. */
  customer_id: string | null;
  /** JSON: the body as it is sent. */
  payload: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  response_status: number | null;
  last_error: string | null;
  duration_ms: number | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface Database {
  accounts: AccountTable;
  counters: CounterTable;
  roles: RoleTable;
  users: UserTable;
  login_directory: LoginDirectoryTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  password_tokens: PasswordTokenTable;
  customers: CustomerTable;
  customer_identities: CustomerIdentityTable;
  customer_audit: CustomerAuditTable;
  organizations: OrganizationTable;
  organization_domains: OrganizationDomainTable;
  customer_types: CustomerTypeTable;
  custom_fields: CustomFieldTable;
  jobs: JobTable;
  customer_imports: CustomerImportTable;
  customer_import_errors: CustomerImportErrorTable;
  customer_import_keys: CustomerImportKeyTable;
  tickets: TicketTable;
  ticket_messages: TicketMessageTable;
  ticket_attachments: TicketAttachmentTable;
  teams: TeamTable;
  team_members: TeamMemberTable;
  team_access: TeamAccessTable;
  routing_rules: RoutingRuleTable;
  outbox: OutboxTable;
  outbox_actions: OutboxActionTable;
  inbound_emails: InboundEmailTable;
  inbound_addresses: InboundAddressTable;
  customer_exports: CustomerExportTable;
  deleted_customers: DeletedCustomerTable;
  organization_locations: OrganizationLocationTable;
  organization_areas: OrganizationAreaTable;
  contracts: ContractTable;
  time_entries: TimeEntryTable;
  hub_addresses: HubAddressTable;
  hub_logins: HubLoginTable;
  hub_sessions: HubSessionTable;
  hub_tokens: HubTokenTable;
  hub_organization_grants: HubOrganizationGrantTable;
  time_entry_audit: TimeEntryAuditTable;
  notification_groups: NotificationGroupTable;
  notification_group_members: NotificationGroupMemberTable;
  files: FileTable;
  file_chunks: FileChunkTable;
  customer_merges: MergeTable;
  organization_merges: MergeTable;
  duplicate_suggestions: DuplicateSuggestionTable;
  customer_match_keys: CustomerMatchKeyTable;
  duplicate_backfills: DuplicateBackfillTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  login_throttle: LoginThrottleTable;
}

/** Tables that hold global data (Citus reference tables); exempt from the account_id-first rule. */
export const REFERENCE_TABLES = ['login_directory', 'inbound_addresses', 'hub_addresses'] as const;

/**
 * Tables of the nodes, not of any account (the shared login throttle, keyed before an account is
 * known): exempt from the account_id-first rule like the reference tables, but on Citus they stay
 * coordinator-local tables (written at every failed login; a reference table would copy each
 * write to every worker, and no query joins them with account data).
 */
export const NODE_TABLES = ['login_throttle'] as const;

export type CustomerRow = Selectable<CustomerTable>;
export type NewCustomerRow = Insertable<CustomerTable>;
export type CustomerRowUpdate = Updateable<CustomerTable>;
export type OrganizationRow = Selectable<OrganizationTable>;
export type CustomFieldRow = Selectable<CustomFieldTable>;
export type JobRow = Selectable<JobTable>;
export type CustomerImportRow = Selectable<CustomerImportTable>;
export type TicketRow = Selectable<TicketTable>;
export type TicketMessageRow = Selectable<TicketMessageTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type UserRow = Selectable<UserTable>;
export type RoleRow = Selectable<RoleTable>;
export type CustomerExportRow = Selectable<CustomerExportTable>;
export type LocationRow = Selectable<OrganizationLocationTable>;
export type AreaRow = Selectable<OrganizationAreaTable>;
export type ContractRow = Selectable<ContractTable>;
export type TimeEntryRow = Selectable<TimeEntryTable>;
export type NotificationGroupRow = Selectable<NotificationGroupTable>;
export type NotificationGroupMemberRow = Selectable<NotificationGroupMemberTable>;
