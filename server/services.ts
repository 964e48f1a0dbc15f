// Wires the services to one database; the HTTP app, the CLI and the tests all start here.
import { AgentService } from './agents/agent.service.ts';
import { SettingsService } from './accounts/settings.service.ts';
import { ping, type Db } from './db/connect.ts';
import { CustomerService } from './customers/customer.service.ts';

export interface Services {
  db: Db;
  agents: AgentService;
  customers: CustomerService;
  settings: SettingsService;
  ping(): Promise<boolean>;
}

export function createServices(db: Db): Services {
  return {
    db,
    agents: new AgentService(db.kysely),
    customers: new CustomerService(db.kysely, db.dialect),
    settings: new SettingsService(db.kysely),
    ping: () => ping(db),
  };
}
