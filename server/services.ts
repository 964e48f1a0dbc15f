import os from 'node:os';
import path from 'node:path';
// Wires the services to one database; the HTTP app, the CLI and the tests all start here.
import { AgentService } from './agents/agent.service.ts';
import { SettingsService } from './accounts/settings.service.ts';
import { ping, type Db } from './db/connect.ts';
import { CustomerService } from './customers/customer.service.ts';
import { CustomFieldService } from './custom-fields/custom-field.service.ts';
import { CustomerTypeService } from './customer-types/customer-type.service.ts';
import { OrganizationService } from './organizations/organization.service.ts';
import { FileStore } from './files/file-store.ts';
import { ImportService } from './imports/import.service.ts';
import { customerImportTask } from './jobs/customer-import.task.ts';
import { Worker } from './jobs/worker.ts';

export interface Services {
  db: Db;
  agents: AgentService;
  customers: CustomerService;
  settings: SettingsService;
  organizations: OrganizationService;
  customFields: CustomFieldService;
  customerTypes: CustomerTypeService;
  files: FileStore;
  imports: ImportService;
  /** This node's job worker (started by main.ts; tests call drain()). */
  worker: Worker;
  ping(): Promise<boolean>;
}

export interface ServiceOptions {
  /** Where files live; the tests use a temporary folder. */
  dataDir?: string;
  log?: (message: string, error?: unknown) => void;
}

export function createServices(db: Db, options: ServiceOptions = {}): Services {
  const customFields = new CustomFieldService(db.kysely);
  const customers = new CustomerService(db.kysely, db.dialect, customFields);
  const files = new FileStore(
    path.join(options.dataDir ?? path.join(os.tmpdir(), 'kunde-files'), 'files'),
  );
  const worker = new Worker(db, { log: options.log });
  const imports = new ImportService(db, files, customers, customFields, () => worker.notify());
  worker.register(customerImportTask({ db, files, customers, customFields }));
  return {
    db,
    agents: new AgentService(db.kysely),
    customers,
    settings: new SettingsService(db.kysely),
    organizations: new OrganizationService(db.kysely, customers, customFields),
    customFields,
    customerTypes: new CustomerTypeService(db.kysely),
    files,
    imports,
    worker,
    ping: () => ping(db),
  };
}
