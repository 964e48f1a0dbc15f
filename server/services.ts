import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
// Wires the services to one database; the HTTP app, the CLI and the tests all start here.
import { AgentService } from './agents/agent.service.ts';
import { AgentAdminService } from './agents/agent-admin.service.ts';
import { OwnPassword } from './agents/own-password.service.ts';
import { PasswordLinks } from './agents/password-link.service.ts';
import { RoleService } from './agents/role.service.ts';
import { AccountService } from './accounts/account.service.ts';
import { SettingsService } from './accounts/settings.service.ts';
import type { Tuning } from './config.ts';
import { ping, type Db } from './db/connect.ts';
import { CustomerService } from './customers/customer.service.ts';
import { CustomerBulkService } from './customers/customer-bulk.service.ts';
import { ErasureService } from './erasure/erasure.service.ts';
import { CustomFieldService } from './custom-fields/custom-field.service.ts';
import { CustomerTypeService } from './customer-types/customer-type.service.ts';
import { DuplicateBackfill } from './duplicates/duplicate-backfill.ts';
import { OrganizationService } from './organizations/organization.service.ts';
import { ContactService } from './organizations/contact.service.ts';
import { LocationService } from './locations/location.service.ts';
import type { FileStore } from './files/file-store.ts';
import { chooseBackend, openFileStore, type FileStoreOptions } from './files/open-file-store.ts';
import { eraseCustomerExports } from './exports/erase-exports.ts';
import { countExports } from './exports/export.repository.ts';
import { ExportService } from './exports/export.service.ts';
import { ImportService } from './imports/import.service.ts';
import { OutboxService } from './mail/outbox.service.ts';
import { Worker } from './jobs/worker.ts';
import { InboundEmailAdmin } from './intake/inbound-admin.service.ts';
import { SmsIntake } from './intake/sms-intake.ts';
import type { EmailIntake } from './intake/email-intake.ts';
import { CountedEmailIntake } from './observability/counted-email-intake.ts';
import { Metrics } from './observability/metrics.ts';
import { taskList } from './tasks.ts';
import { TeamService } from './teams/team.service.ts';
import { RoutingRuleService } from './organizations/routing-rule.service.ts';
import { TicketService, outboundFromAddress } from './tickets/ticket.service.ts';
import { ContractHours } from './contracts/contract-hours.ts';
import { ContractReportService } from './contracts/contract-report.service.ts';
import { ContractService } from './contracts/contract.service.ts';
import { ContractTicketService } from './contracts/contract-tickets.ts';
import { TimeEntryService } from './contracts/time-entry.service.ts';
import { NotificationGroupService } from './notification-groups/notification-group.service.ts';
import { ticketNotifier } from './notification-groups/ticket-notifications.ts';
import { HubAuthService } from './hub/hub-auth.service.ts';
import { HubLinks } from './hub/hub-links.service.ts';
import { HubTicketService } from './hub/hub-ticket.service.ts';
import type { PasswordCost } from './agents/password.ts';
import { memoryLimiters } from './agents/rate-limit.ts';
import { databaseLimiters } from './agents/shared-rate-limit.ts';
import { WebhookService } from './webhooks/webhook.service.ts';

export interface Services {
  db: Db;
  agents: AgentService;
  /** Administering agents (issue 13): edit, invite, deactivate, reset password. */
  agentAdmin: AgentAdminService;
  roles: RoleService;
  /** Set-password links (invitations and resets). */
  passwordLinks: PasswordLinks;
  ownPassword: OwnPassword;
  /** Accounts across the platform (the platform API and `kunde account create`). */
  accounts: AccountService;
  customers: CustomerService;
  /** Bulk deactivate, reactivate and move, by ids or by the list's filter (issue 16). */
  customerBulk: CustomerBulkService;
  /** Erasure requests, the Deleted Customers log and the retention purge. */
  erasure: ErasureService;
  settings: SettingsService;
  organizations: OrganizationService;
  /** An organization's customers as its contacts (issue 12). */
  contacts: ContactService;
  /** An organization's locations and their areas (issue 12). */
  locations: LocationService;
  customFields: CustomFieldService;
  customerTypes: CustomerTypeService;
  files: FileStore;
  imports: ImportService;
  /** Customer data archives (data rights). */
  exports: ExportService;
  tickets: TicketService;
  /** Tickets as a customer sees them in the Customer Hub (issue 14). */
  hubTickets: HubTicketService;
  teams: TeamService;
  routingRules: RoutingRuleService;
  /** Contracts of organizations (issue 12), their reports, and time logged on tickets. */
  contracts: ContractService;
  contractReports: ContractReportService;
  timeEntries: TimeEntryService;
  notificationGroups: NotificationGroupService;
  /** Customer Hub sign-in, sessions and profile (issue 14). */
  hubAuth: HubAuthService;
  /** Customer Hub links: sign-in, set password, registration, invitation (issue 14). */
  hubLinks: HubLinks;
  emailIntake: EmailIntake;
  inboundEmails: InboundEmailAdmin;
  smsIntake: SmsIntake;
  /** Webhook endpoints and their delivery log (issue 15). */
  webhooks: WebhookService;
  /** Duplicate suggestions for customers written before upkeep (issue 15; the CLI runs it). */
  duplicateBackfill: DuplicateBackfill;
  /** Outgoing mail as administrators see and work it: release, retry, discard (issue 16). */
  outbox: OutboxService;
  /** This node's job worker (started by main.ts; tests call drain()). */
  worker: Worker;
  /** This node's Prometheus registry (/metrics). */
  metrics: Metrics;
  ping(): Promise<boolean>;
}

export interface ServiceOptions {
  /** Where files live; the tests use a temporary folder. */
  dataDir?: string;
  log?: (message: string, error?: unknown) => void;
  /** Outbound SMTP (smtp://…); without it mail is held in the outbox. */
  smtpUrl?: string;
  /** From config.ts (its environment variables); whatever is left out keeps its default. */
  tuning?: Partial<Tuning>;
  /** KUNDE_PLATFORM_TOKEN: turns the platform API on. */
  platformToken?: string;
  /** Node's process metrics on /metrics too (the running server; tests leave them out). */
  processMetrics?: boolean;
  /** Where agents reach the console, for links in email (KUNDE_PUBLIC_URL). */
  publicUrl?: string;
  /** KUNDE_FILE_STORE and its bucket (config.files); left out, chosen by the dialect. */
  files?: Partial<FileStoreOptions>;
  /**
   * Tests only, where the hash is not the subject: a cheaper scrypt cost for every password hash
   * (agents', their set-password links', the Customer Hub's) and the unknown-email decoys. Left
   * out (always, outside tests): PASSWORD_COST.
   */
  passwordCost?: PasswordCost;
  /** KUNDE_WEBHOOK_ALLOW_PRIVATE: webhooks to private addresses (tests receive on 127.0.0.1). */
  webhooks?: { allowPrivateAddresses?: boolean };
}

export function createServices(db: Db, options: ServiceOptions = {}): Services {
  const customFields = new CustomFieldService(db.kysely);
  const customers = new CustomerService(db.kysely, db.dialect, customFields);
  const dataDir = options.dataDir ?? path.join(os.tmpdir(), 'kunde-files');
  // Without a data directory of its own (tests) the shared temporary one says nothing about
  // what this database's files are: the dialect alone decides.
  const backend = options.dataDir
    ? chooseBackend(db.dialect, dataDir, options.files?.backend, options.log)
    : (options.files?.backend ?? (db.dialect === 'postgres' ? 'database' : 'local'));
  const files = openFileStore(db, dataDir, backend, options.files?.s3);
  const tuning = options.tuning ?? {};
  const metrics = new Metrics(db, { processMetrics: options.processMetrics, log: options.log });
  const worker = new Worker(db, { log: options.log, leaseMs: tuning.jobLeaseMs });
  const imports = new ImportService(
    db,
    files,
    customers,
    customFields,
    () => worker.notify(),
    tuning.importMaxBytes,
  );
  const smtpConfigured = Boolean(options.smtpUrl);
  const notificationGroups = new NotificationGroupService(db.kysely, smtpConfigured);
  const contractDeps = {
    settings: (accountId: string, conn: Parameters<CustomerService['settings']>[1]) =>
      customers.settings(accountId, conn),
    groups: notificationGroups,
    smtpConfigured,
  };
  const contractHours = new ContractHours(contractDeps);
  const contracts = new ContractService(db.kysely, contractDeps);
  const contractTickets = new ContractTicketService(contractHours, contractDeps);
  const timeEntries = new TimeEntryService(db.kysely, contractHours);
  const notifyGroups = ticketNotifier(notificationGroups, contractDeps.settings);
  const tickets = new TicketService({
    db: db.kysely,
    customers,
    smtpConfigured,
    hooks: {
      defaultContractId: (conn, accountId, organizationId) =>
        contractTickets.defaultContractId(conn, accountId, organizationId),
      assignContract: (trx, accountId, ticket, contractId) =>
        contractTickets.assignTicket(trx, accountId, ticket, contractId),
      ticketEvent: async (conn, accountId, ticket, event, text) => {
        if (event === 'closed') await contractTickets.ticketClosed(conn, accountId, ticket);
        await notifyGroups(conn, accountId, ticket, event, text);
      },
    },
    storeAttachment: async (accountId, id, content, trx) => {
      const key = `attachments/${accountId}/${id}`;
      await files.write(key, Readable.from([content]), Infinity, trx);
      return key;
    },
  });
  const emailIntake = new CountedEmailIntake(db.kysely, files, customers, tickets, () =>
    worker.notify(),
  ).countInto(metrics);
  const exports = new ExportService({
    db: db.kysely,
    files,
    customers,
    notify: () => worker.notify(),
    smtpConfigured: Boolean(options.smtpUrl),
    publicUrl: options.publicUrl ?? 'http://localhost:3000',
  });
  const erasure = new ErasureService(
    {
      db: db.kysely,
      dialect: db.dialect,
      files,
      eraseExports: eraseCustomerExports,
      countArchives: countExports,
    },
    () => worker.notify(),
  );
  const settings = new SettingsService(db.kysely);
  settings.onUpdate((accountId) => erasure.schedulePurge(accountId));
  const webhookDelivery = {
    allowPrivateAddresses: options.webhooks?.allowPrivateAddresses ?? false,
  };
  const duplicateBackfill = new DuplicateBackfill(db.kysely, () => worker.notify());
  const tasks = taskList({
    db,
    duplicateBackfill,
    webhookDelivery,
    files,
    customers,
    exports,
    customFields,
    emailIntake,
    erasure,
    smtpUrl: options.smtpUrl,
    importBatchSize: tuning.importBatchSize,
    countImportRows: (rows, dryRun) => metrics.importRows.inc({ dry_run: String(dryRun) }, rows),
  });
  for (const task of tasks) worker.register(task);
  // Login throttling: on PostgreSQL several nodes may serve one database, so they count in it
  // (one count for all); SQLite is one process per data directory (sqlite-lock.ts), memory.
  const limiters = db.dialect === 'postgres' ? databaseLimiters(db.kysely) : memoryLimiters;
  const agents = new AgentService(db.kysely, {
    authCacheMs: tuning.authCacheMs,
    passwordCost: options.passwordCost,
    limiters,
  });
  const passwordLinks = new PasswordLinks({
    db: db.kysely,
    publicUrl: options.publicUrl ?? 'http://localhost:3000',
    smtpConfigured,
    fromAddress: async (accountId, trx) =>
      outboundFromAddress(await customers.settings(accountId, trx)),
    forgetUser: (accountId, userId) => agents.forgetUser(accountId, userId),
    passwordCost: options.passwordCost,
  });
  const hubAuth = new HubAuthService(db.kysely, customers, limiters, options.passwordCost);
  const hubLinks = new HubLinks({
    db: db.kysely,
    auth: hubAuth,
    customers,
    publicUrl: options.publicUrl ?? 'http://localhost:3000',
    smtpConfigured,
    fromAddress: async (accountId, trx) =>
      outboundFromAddress(await customers.settings(accountId, trx)),
    passwordCost: options.passwordCost,
    limiters,
  });
  return {
    db,
    agents,
    hubAuth,
    hubLinks,
    agentAdmin: new AgentAdminService(db.kysely, agents, passwordLinks),
    roles: new RoleService(db.kysely, agents),
    passwordLinks,
    ownPassword: new OwnPassword({
      db: db.kysely,
      agents,
      links: passwordLinks,
      limiters,
      passwordCost: options.passwordCost,
    }),
    accounts: new AccountService(db.kysely, agents, options.platformToken),
    customers,
    customerBulk: new CustomerBulkService(db.kysely, db.dialect, customers),
    erasure,
    settings,
    webhooks: new WebhookService(db.kysely, webhookDelivery),
    duplicateBackfill,
    organizations: new OrganizationService(db.kysely, customers, customFields),
    contacts: new ContactService(db.kysely, customers),
    locations: new LocationService(db.kysely),
    customFields,
    customerTypes: new CustomerTypeService(db.kysely, customers),
    files,
    imports,
    exports,
    worker,
    outbox: new OutboxService(db.kysely, smtpConfigured, () => worker.notify()),
    metrics,
    tickets,
    hubTickets: new HubTicketService(db.kysely, tickets),
    teams: new TeamService(db.kysely, (accountId) => agents.forgetAccount(accountId)),
    routingRules: new RoutingRuleService(db.kysely),
    contracts,
    contractReports: new ContractReportService(db.kysely, contracts, timeEntries),
    timeEntries,
    notificationGroups,
    emailIntake,
    inboundEmails: new InboundEmailAdmin(db.kysely, files, emailIntake),
    smsIntake: new SmsIntake(db.kysely, customers, tickets),
    ping: () => ping(db),
  };
}
