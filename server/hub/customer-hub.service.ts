// A customer's Customer Hub access as agents control it (/api/v1/customers/{id}/hub): whether
// the switch is on, whether a password is set and when they last signed in, and the
// organizations whose tickets they may view, reply to and raise in the Hub. The switch itself is
// a customer field written through the customer write model (customer.service.ts update).
import { lockLiveCustomer } from '../customers/customer-guard.ts';
import { lockOrganizationUnlessMerged } from '../organizations/organization-guard.ts';
import type { Kysely } from 'kysely';
import { fieldError } from '../../common/field-error-codes.ts';
import type { CustomerHub, CustomerHubGrants } from '../../common/hub.ts';
import type { FieldError } from '../../common/problem.ts';
import type { Principal } from '../agents/principal.ts';
import { servesOrganization } from '../access/scope.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import { insertAuditEvent } from '../customers/customer.repository.ts';
import { buildHubGrantsChange } from '../customers/customer-write.ts';
import type { Database } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import { ValidationError } from '../errors.ts';
import { organizationNames } from '../organizations/organization.repository.ts';
import * as repo from './hub-grant.repository.ts';

export class CustomerHubService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly customers: CustomerService,
  ) {}

  /** The customer's Hub access; out of the agent's scope is the 404 a missing customer gets. */
  async get(principal: Principal, customerId: string, db: Conn = this.db): Promise<CustomerHub> {
    const customer = await this.customers.get(principal, customerId, db);
    const [login, grants] = await Promise.all([
      repo.findHubLogin(db, principal.accountId, customerId),
      repo.listGrants(db, principal.accountId, customerId),
    ]);
    return {
      hubAccess: customer.hubAccess,
      ...login,
      // A scoped agent sees only the grants of organizations their teams serve whole.
      organizations: grants.filter((g) => servesOrganization(principal.scope, g.id)),
    };
  }

  /**
   * Replaces the grants. Each organization must be in the account and, for a scoped agent, one
   * their teams serve whole (the customer would see all its tickets); any other is refused as
   * unknown, so the answer tells nothing about it. Grants the agent cannot see are kept.
   */
  async replaceGrants(
    principal: Principal,
    customerId: string,
    input: CustomerHubGrants,
  ): Promise<CustomerHub> {
    const { accountId } = principal;
    return this.db.transaction().execute(async (trx) => {
      await this.customers.get(principal, customerId, trx);
      // Held until the grants are written: a customer or an organization merged away is a 409
      // naming its survivor (issue 15), the pointer never gains a grant.
      await lockLiveCustomer(trx, accountId, customerId);
      const requested = [...new Set(input.organizationIds)];
      for (const id of [...requested].sort())
        await lockOrganizationUnlessMerged(trx, accountId, id, principal.scope);
      const names = await organizationNames(trx, accountId, requested);
      const errors: FieldError[] = [];
      input.organizationIds.forEach((id, index) => {
        if (!names.has(id) || !servesOrganization(principal.scope, id))
          errors.push(
            fieldError(`organizationIds.${index}`, 'unknown_reference', 'no such organization'),
          );
      });
      if (errors.length) throw new ValidationError(errors);
      const before = await repo.listGrants(trx, accountId, customerId);
      const hidden = before.filter((g) => !servesOrganization(principal.scope, g.id));
      const after = [...requested, ...hidden.map((g) => g.id)];
      const beforeIds = new Set(before.map((g) => g.id));
      const changed = after.length !== beforeIds.size || after.some((id) => !beforeIds.has(id));
      if (changed) {
        const now = nowIso();
        await repo.replaceGrants(trx, accountId, customerId, after, principal.userId, now);
        const namesOf = (ids: string[]) =>
          ids.map((id) => names.get(id) ?? before.find((g) => g.id === id)?.name ?? id).sort();
        await insertAuditEvent(
          trx,
          buildHubGrantsChange(
            {
              accountId,
              actor: { type: principal.type, id: principal.userId, name: principal.name },
              now,
            },
            customerId,
            namesOf(before.map((g) => g.id)),
            namesOf(after),
          ),
        );
      }
      return this.get(principal, customerId, trx);
    });
  }
}
