// What people read about a contract, in English and Norwegian Bokmål (the account's language):
// the threshold warning and the hours-exceeded notice to the contract's three contacts, and the
// contract update the customer contact gets when one of its tickets is closed.
import type { MailLocale } from '../notification-groups/notification-texts.ts';

export interface ContractFacts {
  description: string;
  organization: string;
  contractHours: number;
  threshold: number | null;
  hoursUsed: number;
  hoursLeft: number;
}

function hours(locale: MailLocale, value: number): string {
  return locale === 'nb' ? String(value).replace('.', ',') : String(value);
}

export function thresholdMail(locale: MailLocale, c: ContractFacts) {
  const h = (v: number) => hours(locale, v);
  return locale === 'nb'
    ? {
        subject: `Kontrakten «${c.description}» nærmer seg timegrensen`,
        text:
          `Hei,\n\nkontrakten «${c.description}» for ${c.organization} har nådd varslingsgrensen ` +
          `på ${h(c.threshold ?? 0)} timer.\n\nBrukt: ${h(c.hoursUsed)} av ${h(c.contractHours)} timer\n` +
          `Igjen: ${h(c.hoursLeft)} timer\n\nHilsen Kunde\n`,
      }
    : {
        subject: `Contract "${c.description}" is nearing its hour limit`,
        text:
          `Hello,\n\nthe contract "${c.description}" for ${c.organization} has reached its ` +
          `notification threshold of ${h(c.threshold ?? 0)} hours.\n\n` +
          `Used: ${h(c.hoursUsed)} of ${h(c.contractHours)} hours\nLeft: ${h(c.hoursLeft)} hours\n\nKunde\n`,
      };
}

export function exceededMail(locale: MailLocale, c: ContractFacts) {
  const h = (v: number) => hours(locale, v);
  return locale === 'nb'
    ? {
        subject: `Kontrakten «${c.description}» har brukt opp timene`,
        text:
          `Hei,\n\nkontrakten «${c.description}» for ${c.organization} har gått over ` +
          `${h(c.contractHours)} timer.\n\nBrukt: ${h(c.hoursUsed)} timer\n\nHilsen Kunde\n`,
      }
    : {
        subject: `Contract "${c.description}" has used up its hours`,
        text:
          `Hello,\n\nthe contract "${c.description}" for ${c.organization} is past its ` +
          `${h(c.contractHours)} hours.\n\nUsed: ${h(c.hoursUsed)} hours\n\nKunde\n`,
      };
}

export interface ClosureFacts {
  description: string;
  organization: string;
  ticketNumber: number;
  ticketSubject: string;
  ticketHours: number;
  hoursUsed: number;
  /** Null without an hour restriction. */
  contractHours: number | null;
  hoursLeft: number | null;
}

export function closureMail(locale: MailLocale, c: ClosureFacts) {
  const h = (v: number) => hours(locale, v);
  if (locale === 'nb') {
    const budget =
      c.contractHours === null
        ? `Brukt på kontrakten: ${h(c.hoursUsed)} timer\n`
        : `Brukt på kontrakten: ${h(c.hoursUsed)} av ${h(c.contractHours)} timer\n` +
          `Igjen: ${h(c.hoursLeft ?? 0)} timer\n`;
    return {
      subject: `Kontraktoppdatering: sak #${c.ticketNumber} er lukket`,
      text:
        `Hei,\n\nsak #${c.ticketNumber} «${c.ticketSubject}» på kontrakten «${c.description}» ` +
        `for ${c.organization} er lukket.\n\nTid brukt på saken: ${h(c.ticketHours)} timer\n` +
        `${budget}\nHilsen Kunde\n`,
    };
  }
  const budget =
    c.contractHours === null
      ? `Used on the contract: ${h(c.hoursUsed)} hours\n`
      : `Used on the contract: ${h(c.hoursUsed)} of ${h(c.contractHours)} hours\n` +
        `Left: ${h(c.hoursLeft ?? 0)} hours\n`;
  return {
    subject: `Contract update: ticket #${c.ticketNumber} is closed`,
    text:
      `Hello,\n\nticket #${c.ticketNumber} "${c.ticketSubject}" on the contract "${c.description}" ` +
      `for ${c.organization} is closed.\n\nTime spent on the ticket: ${h(c.ticketHours)} hours\n` +
      `${budget}\nKunde\n`,
  };
}
