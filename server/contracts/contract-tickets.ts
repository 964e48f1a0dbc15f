// What a contract means for its tickets: a new ticket starts on its organization's one active
// contract; a ticket moves to another active contract (or none) with its logged time; closing a
// contract ticket mails the customer contact a contract update (the ticket, the time spent on it,
// the hours used and left). TicketService calls these through its hooks (services.ts).
import { fieldError } from '../../common/field-error-codes.ts';
import type { Transaction } from 'kysely';
import { minutesToHours } from '../../common/contract.ts';
import type { ContractRow, Database, TicketRow } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { queueEmail } from '../mail/outbox.ts';
import { mailLocale } from '../notification-groups/notification-texts.ts';
import { findOrganization } from '../organizations/organization.repository.ts';
import { outboundFromAddress } from '../tickets/ticket.service.ts';
import type { ContractHours, ContractHoursDeps } from './contract-hours.ts';
import { closureMail } from './contract-texts.ts';
import { accountToday, isActive } from './contract.service.ts';
import * as repo from './contract.repository.ts';
import { lockTicket, ticketMinutes } from './time-entry.repository.ts';

export class ContractTicketService {
  constructor(
    private readonly hours: ContractHours,
    private readonly deps: ContractHoursDeps,
  ) {}

  /** The organization's contract for a new ticket: its one active contract, else none. */
  async defaultContractId(db: Conn, accountId: string, organizationId: string | null) {
    if (!organizationId) return null;
    const day = await accountToday(this.deps, db, accountId);
    const active = await repo.activeContractRows(db, accountId, organizationId, day);
    return active.length === 1 ? (active[0] as ContractRow).id : null;
  }

  /**
   * Assigns the ticket to one of its organization's active contracts, or to none. The time
   * already logged on it moves from the old contract's hours to the new one's (locks taken in
   * id order, so two moves the other way round cannot deadlock).
   */
  async assignTicket(
    trx: Transaction<Database>,
    accountId: string,
    unlocked: TicketRow,
    contractId: string | null,
  ): Promise<void> {
    const ticket = await lockTicket(trx, accountId, unlocked.id);
    if (!ticket) throw new NotFoundError('ticket', unlocked.id);
    if (contractId === ticket.contract_id) return;
    if (contractId) {
      const contract = await repo.findContract(trx, accountId, contractId);
      if (!contract || contract.organization_id !== ticket.organization_id)
        throw new ValidationError([
          fieldError(
            'contractId',
            'contract_not_of_organization',
            "not a contract of the ticket's organization",
          ),
        ]);
      if (!isActive(contract, await accountToday(this.deps, trx, accountId)))
        throw new ValidationError([
          fieldError('contractId', 'contract_inactive', 'the contract is not active'),
        ]);
    }
    const minutes = await ticketMinutes(trx, accountId, ticket.id);
    const moves = [
      ...(ticket.contract_id ? [{ id: ticket.contract_id, delta: -minutes }] : []),
      ...(contractId ? [{ id: contractId, delta: minutes }] : []),
    ].sort((a, b) => (a.id < b.id ? -1 : 1));
    // Moving a ticket is not logging time: its hours count on the new contract without the
    // over-limit confirmation (the threshold and limit mails still go out).
    if (minutes > 0)
      for (const move of moves) await this.hours.move(trx, accountId, move.id, move.delta, true);
    await repo.setTicketContract(trx, accountId, ticket.id, contractId);
  }

  /** A contract ticket was closed: the contract update to its customer contact. */
  async ticketClosed(trx: Conn, accountId: string, ticket: TicketRow): Promise<void> {
    if (!ticket.contract_id) return;
    const contract = await repo.findContract(trx, accountId, ticket.contract_id);
    if (!contract) return;
    const customer = (await repo.customersById(trx, accountId, [contract.customer_contact_id])).get(
      contract.customer_contact_id,
    );
    if (
      !customer?.active ||
      !customer.email ||
      customer.organizationId !== contract.organization_id
    )
      return;
    const settings = await this.deps.settings(accountId, trx);
    const organization = await findOrganization(trx, accountId, contract.organization_id);
    const budget = contract.has_hour_restriction ? contract.budget_minutes : null;
    const used = Number(contract.used_minutes);
    const mail = closureMail(mailLocale(settings.defaultLocale), {
      description: contract.description,
      organization: organization?.name ?? '',
      ticketNumber: Number(ticket.number),
      ticketSubject: ticket.subject,
      ticketHours: minutesToHours(await ticketMinutes(trx, accountId, ticket.id)),
      hoursUsed: minutesToHours(used),
      contractHours: budget === null ? null : minutesToHours(Number(budget)),
      hoursLeft: budget === null ? null : minutesToHours(Math.max(0, Number(budget) - used)),
    });
    const from = outboundFromAddress(settings);
    await queueEmail(
      trx,
      accountId,
      {
        ticketId: ticket.id,
        to: customer.email,
        from,
        ...mail,
        messageId: `<${newId()}.contract@${from.slice(from.indexOf('@') + 1)}>`,
      },
      this.deps.smtpConfigured,
    );
  }
}
