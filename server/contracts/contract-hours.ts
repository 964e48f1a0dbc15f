// A contract's hours used: the counter on the contract row, moved in the caller's transaction
// with the contract row locked, and the decisions taken there. Because the decision and the
// counter move under one lock, 20 agents logging at once queue exactly one threshold mail: the
// first entry to reach the threshold sets `threshold_notified`, and the others see it set.
import type { Transaction } from 'kysely';
import { minutesToHours } from '../../common/contract.ts';
import type { AccountSettings } from '../../common/settings.ts';
import type { ContractRow, Database } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { queueEmail } from '../mail/outbox.ts';
import type { NotificationGroupService } from '../notification-groups/notification-group.service.ts';
import { mailLocale } from '../notification-groups/notification-texts.ts';
import { findOrganization } from '../organizations/organization.repository.ts';
import { outboundFromAddress } from '../tickets/ticket.service.ts';
import { exceededMail, thresholdMail, type ContractFacts } from './contract-texts.ts';
import * as repo from './contract.repository.ts';

export interface HoursDecision {
  usedAfter: number;
  thresholdNotified: boolean;
  /** The entry takes the contract past its hours. */
  overLimit: boolean;
  crossedThreshold: boolean;
  crossedLimit: boolean;
}

/**
 * What moving a contract's hours by `delta` minutes means. Pure: the caller holds the lock.
 * The threshold counts as crossed on reaching it; the flag clears once an edit or deletion takes
 * the hours below it again, so a later crossing mails again.
 */
export function decideHours(contract: ContractRow, delta: number): HoursDecision {
  const before = Number(contract.used_minutes);
  const after = before + delta;
  const budget = contract.has_hour_restriction ? contract.budget_minutes : null;
  const threshold = budget === null ? null : contract.threshold_minutes;
  let notified = Boolean(contract.threshold_notified);
  let crossedThreshold = false;
  if (threshold !== null) {
    if (!notified && after >= threshold) {
      notified = true;
      crossedThreshold = true;
    } else if (notified && after < threshold) notified = false;
  }
  return {
    usedAfter: after,
    thresholdNotified: notified,
    overLimit: budget !== null && delta > 0 && after > budget,
    crossedLimit: budget !== null && before <= budget && after > budget,
    crossedThreshold,
  };
}

export function hoursExceeded(contract: ContractRow, delta: number) {
  const used = Number(contract.used_minutes);
  const budget = Number(contract.budget_minutes ?? 0);
  return new ConflictError(
    'contract_hours_exceeded',
    `This takes the contract "${contract.description}" past its ${minutesToHours(budget)} hours; ` +
      'send confirmOverLimit: true to log it anyway',
    {
      contractId: contract.id,
      contractHours: minutesToHours(budget),
      hoursUsed: minutesToHours(used),
      hoursLeft: minutesToHours(Math.max(0, budget - used)),
      hoursRequested: minutesToHours(delta),
    },
  );
}

export interface ContractHoursDeps {
  settings: (accountId: string, db: Conn) => Promise<AccountSettings>;
  groups: NotificationGroupService;
  smtpConfigured: boolean;
}

export class ContractHours {
  constructor(private readonly deps: ContractHoursDeps) {}

  /**
   * Moves the contract's hours by `delta` minutes under its row lock. An increase past the
   * contract hours is refused (409 contract_hours_exceeded) unless `confirmOverLimit`. Queues
   * the threshold and limit mails when this move crosses them. Returns the decision.
   */
  async move(
    trx: Transaction<Database>,
    accountId: string,
    contractId: string,
    delta: number,
    confirmOverLimit: boolean,
  ): Promise<HoursDecision> {
    const contract = await repo.lockContract(trx, accountId, contractId);
    if (!contract) throw new NotFoundError('contract', contractId);
    const decision = decideHours(contract, delta);
    if (decision.overLimit && !confirmOverLimit) throw hoursExceeded(contract, delta);
    await repo.updateContractRow(trx, accountId, contractId, {
      used_minutes: decision.usedAfter,
      threshold_notified: decision.thresholdNotified ? 1 : 0,
    });
    const after = { ...contract, used_minutes: decision.usedAfter };
    if (decision.crossedThreshold) await this.notify(trx, accountId, after, 'contract_threshold');
    if (decision.crossedLimit) await this.notify(trx, accountId, after, 'contract_exceeded');
    return decision;
  }

  /**
   * One mail to the customer contact, the support contact and the support manager (those
   * active with an address), and one to each member of the organization's groups that chose
   * the event and is not one of the three.
   */
  private async notify(
    trx: Transaction<Database>,
    accountId: string,
    contract: ContractRow,
    event: 'contract_threshold' | 'contract_exceeded',
  ): Promise<void> {
    const settings = await this.deps.settings(accountId, trx);
    const locale = mailLocale(settings.defaultLocale);
    const organization = await findOrganization(trx, accountId, contract.organization_id);
    const budget = Number(contract.budget_minutes ?? 0);
    const used = Number(contract.used_minutes);
    const facts: ContractFacts = {
      description: contract.description,
      organization: organization?.name ?? '',
      contractHours: minutesToHours(budget),
      threshold:
        contract.threshold_minutes === null ? null : minutesToHours(contract.threshold_minutes),
      hoursUsed: minutesToHours(used),
      hoursLeft: minutesToHours(Math.max(0, budget - used)),
    };
    const mail =
      event === 'contract_threshold' ? thresholdMail(locale, facts) : exceededMail(locale, facts);
    const to = await contactAddresses(trx, accountId, contract);
    const from = outboundFromAddress(settings);
    const domain = from.slice(from.indexOf('@') + 1);
    if (to.length) {
      await queueEmail(
        trx,
        accountId,
        { to: to.join(', '), from, ...mail, messageId: `<${newId()}.contract@${domain}>` },
        this.deps.smtpConfigured,
      );
    }
    await this.deps.groups.deliver(
      trx,
      accountId,
      contract.organization_id,
      event,
      { ...mail, from, domain },
      to,
    );
  }
}

/** The contract's three contacts as they are now: only the active ones with an address. */
export async function contactAddresses(
  db: Conn,
  accountId: string,
  contract: ContractRow,
): Promise<string[]> {
  const [customers, agents] = await Promise.all([
    repo.customersById(db, accountId, [contract.customer_contact_id]),
    repo.agentsById(
      db,
      accountId,
      [contract.support_contact_id, contract.support_manager_id].filter(
        (id): id is string => id !== null,
      ),
    ),
  ]);
  const customer = customers.get(contract.customer_contact_id);
  const people = [
    customer?.organizationId === contract.organization_id ? customer : undefined,
    agents.get(contract.support_contact_id),
    contract.support_manager_id ? agents.get(contract.support_manager_id) : undefined,
  ];
  const addresses = people.flatMap((p) => (p?.active && p.email ? [p.email.toLowerCase()] : []));
  return [...new Set(addresses)];
}
