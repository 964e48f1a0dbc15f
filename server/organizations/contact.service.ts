// Customer contacts (seed 002): an organization's customers, added, edited and deactivated from
// the organization. A contact IS a customer, so every write goes through CustomerService and its
// write model; what this adds is the organization's view and the identity rule as a question:
// an email that already belongs to a customer is never a second customer, the agent is asked
// (409 email_belongs_to_customer) and, once they confirm (`link: true`), that customer moves in.
import { fieldError } from '../../common/field-error-codes.ts';
import type { Kysely } from 'kysely';
import type {
  ContactCreate,
  ContactListQuery,
  ContactUpdate,
  EmailOwner,
} from '../../common/contact.ts';
import { customerDisplayName, type Customer } from '../../common/customer.ts';
import type { Page } from '../../common/paging.ts';
import type { Principal } from '../agents/principal.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { Database } from '../db/database.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { requireLiveOrganization } from './organization-guard.ts';

/** Contacts' status changes need only Create/Edit Customers (the seed's one permission here). */
const CONTACT_PERMISSION = 'customers.create_edit' as const;

export class ContactService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly customers: CustomerService,
  ) {}

  /** The organization of the contacts; one out of the principal's scope is not found. */
  private async requireOrganization(principal: Principal, id: string) {
    // One merged away is a 409 naming its survivor (issue 15); the write checks it again.
    return requireLiveOrganization(this.db, principal.accountId, id, principal.scope);
  }

  async list(
    principal: Principal,
    organizationId: string,
    query: ContactListQuery,
  ): Promise<Page<Customer>> {
    await this.requireOrganization(principal, organizationId);
    return this.customers.list(principal, { ...query, organizationId });
  }

  async get(principal: Principal, organizationId: string, id: string): Promise<Customer> {
    await this.requireOrganization(principal, organizationId);
    const customer = await this.customers.get(principal, id).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('contact', id) : error;
    });
    if (customer.organizationId !== organizationId) throw new NotFoundError('contact', id);
    return customer;
  }

  /**
   * Adds a contact. An email that belongs to a customer already answers 409
   * `email_belongs_to_customer` naming that customer and their organization; with `link` that
   * customer is moved into this organization instead (one audited change), never duplicated.
   */
  async create(
    principal: Principal,
    organizationId: string,
    input: ContactCreate,
  ): Promise<{ contact: Customer; linked: boolean }> {
    const organization = await this.requireOrganization(principal, organizationId);
    try {
      const contact = await this.customers.create(
        principal,
        {
          firstName: input.firstName,
          lastName: input.lastName,
          email: input.email,
          phone: input.phone,
          organizationId,
        },
        principal.type === 'token' ? 'api' : 'agent',
      );
      return { contact, linked: false };
    } catch (error) {
      const ownerId =
        error instanceof ConflictError && error.code === 'customer_email_taken'
          ? error.extra.existingCustomerId
          : undefined;
      if (typeof ownerId !== 'string') throw error;
      const owner = await this.customers.get(principal, ownerId);
      const name = customerDisplayName(owner);
      if (owner.organizationId === organizationId && owner.status === 'active') {
        throw new ConflictError(
          'contact_exists',
          `${name} is already a contact of ${organization.name}`,
          {
            customer: emailOwner(owner),
            errors: [
              fieldError('email', 'already_contact', 'already a contact of this organization'),
            ],
          },
        );
      }
      if (!input.link) {
        throw new ConflictError(
          'email_belongs_to_customer',
          owner.organizationName
            ? `The email address ${owner.email ?? ''} belongs to the customer ${name} of ${owner.organizationName}; send link: true to move them to ${organization.name}`
            : `The email address ${owner.email ?? ''} belongs to the customer ${name}; send link: true to add them to ${organization.name}`,
          {
            customer: emailOwner(owner),
            errors: [fieldError('email', 'belongs_to_customer', 'belongs to an existing customer')],
          },
        );
      }
      const contact = await this.customers.linkToOrganization(principal, owner.id, organizationId);
      return { contact, linked: true };
    }
  }

  /** Inline edits and Deactivate Contact; the organization stays as it is whatever the email. */
  async update(
    principal: Principal,
    organizationId: string,
    id: string,
    patch: ContactUpdate,
    ifMatch?: number,
  ): Promise<Customer> {
    await this.requireOrganization(principal, organizationId);
    return this.customers.update(
      principal,
      id,
      // The organization is named so a new email's domain does not move the contact elsewhere.
      { ...patch, organizationId },
      ifMatch,
      undefined,
      { statusPermission: CONTACT_PERMISSION, organizationId },
    );
  }
}

function emailOwner(customer: Customer): EmailOwner {
  return {
    id: customer.id,
    name: customerDisplayName(customer),
    email: customer.email ?? '',
    organizationId: customer.organizationId,
    organizationName: customer.organizationName,
  };
}
