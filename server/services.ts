// Wires the services to one database; the HTTP app, the CLI and the tests all start here.
import { AgentService } from './agents/agent.service.ts';
import { SettingsService } from './accounts/settings.service.ts';
import { ping, type Db } from './db/connect.ts';
import { CustomerService } from './customers/customer.service.ts';
import { CustomFieldService } from './custom-fields/custom-field.service.ts';
import { CustomerTypeService } from './customer-types/customer-type.service.ts';
import { OrganizationService } from './organizations/organization.service.ts';

export interface Services {
  db: Db;
  agents: AgentService;
  customers: CustomerService;
  settings: SettingsService;
  organizations: OrganizationService;
  customFields: CustomFieldService;
  customerTypes: CustomerTypeService;
  ping(): Promise<boolean>;
}

export function createServices(db: Db): Services {
  const customFields = new CustomFieldService(db.kysely);
  const customers = new CustomerService(db.kysely, db.dialect, customFields);
  return {
    db,
    agents: new AgentService(db.kysely),
    customers,
    settings: new SettingsService(db.kysely),
    organizations: new OrganizationService(db.kysely, customers, customFields),
    customFields,
    customerTypes: new CustomerTypeService(db.kysely),
    ping: () => ping(db),
  };
}
