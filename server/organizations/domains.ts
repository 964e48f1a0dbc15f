// Which organization an email address belongs to: the one function every path that creates a
// customer or changes an email uses (form, API, import, email intake).
// Exact domain first, then the longest configured parent (mail.abc.com → abc.com); public mail
// domains (gmail.com, outlook.com, yahoo.co.in, …) and the account's ignored domains never match
// and never create an organization.
import { domainToASCII } from 'node:url';
import freeEmailDomains from 'free-email-domains';
import { refusal } from '../../common/field-error-codes.ts';
import type { Normalized } from '../customers/identity.ts';

const PUBLIC_MAIL = new Set<string>(freeEmailDomains);
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Normalizes a domain as typed by an agent: trimmed, lower-case, IDN in ASCII form. */
export function normalizeDomain(input: string): Normalized<string> {
  const trimmed = input.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
  const ascii = domainToASCII(trimmed.normalize('NFC'));
  const labels = ascii.split('.');
  if (
    !ascii ||
    labels.length < 2 ||
    !labels.every((l) => LABEL.test(l)) ||
    /^\d+$/.test(labels.at(-1) ?? '')
  ) {
    return { ok: false, ...refusal('not_a_domain', 'not a domain such as example.com') };
  }
  return { ok: true, value: ascii };
}

/** The domain and each parent with at least two labels, longest first. */
export function candidateDomains(domain: string): string[] {
  const labels = domain.split('.');
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(labels.slice(i).join('.'));
  return out;
}

/** Public mail (or an ignored domain, or a subdomain of either): never grouped. */
export function isUngroupedDomain(domain: string, ignored: readonly string[] = []): boolean {
  const extra = new Set(ignored.map((d) => d.toLowerCase()));
  return candidateDomains(domain).some((d) => PUBLIC_MAIL.has(d) || extra.has(d));
}

export function isPublicMailDomain(domain: string): boolean {
  return candidateDomains(domain).some((d) => PUBLIC_MAIL.has(d));
}

/** Picks the owner of the most specific configured domain among the candidates. */
export function pickOrganization(
  domain: string,
  owners: ReadonlyMap<string, string>,
): string | undefined {
  for (const candidate of candidateDomains(domain)) {
    const owner = owners.get(candidate);
    if (owner) return owner;
  }
  return undefined;
}
