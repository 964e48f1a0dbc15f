// How a phone number is shown (issue 16 point 6): the API keeps E.164 (+4798765432); people read
// a number of the account's own country in its national format (987 65 432) and any other in the
// international one (+46 70 123 45 67). Pure, for the console's PhoneNumber and its unit test.
// Free text that may hold a number (a location's phone, the Hub's support contact) is formatted
// only when the whole text is one valid number; anything else is shown as written.
import {
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/min';

export interface PhoneDisplay {
  /** What a person reads. */
  text: string;
  /** The number as stored (E.164), for a title and for copying. */
  e164: string;
  /** A dialable link: `tel:` and the E.164 number. */
  href: string;
}

/**
 * libphonenumber writes every Norwegian number in pairs (98 76 54 32); Norwegians, the operators
 * and Nkom's numbering plan write 8-digit mobile numbers (4… and 9…) as 3-2-3 (987 65 432).
 */
function norwegianMobile(nationalNumber: string): string | null {
  const match = /^([49]\d{2})(\d{2})(\d{3})$/.exec(nationalNumber);
  return match ? `${match[1]} ${match[2]} ${match[3]}` : null;
}

/**
 * `accountCountry`: the account's phoneDefaultCountry (ISO 3166-1 alpha-2), or undefined while it
 * is not known yet (then every number is written internationally, which is right for any account).
 * A number the library cannot read is shown as it is stored.
 */
export function formatPhone(stored: string, accountCountry: string | undefined): PhoneDisplay {
  const parsed = parsePhoneNumberFromString(stored);
  if (!parsed) {
    const dialable = stored.replace(/[^\d+]/g, '');
    return { text: stored, e164: stored, href: `tel:${dialable || stored}` };
  }
  const e164 = parsed.number;
  // By calling code, not region: +44 numbers of Guernsey are national to a GB account, +1 to US/CA.
  const national =
    accountCountry !== undefined &&
    isSupportedCountry(accountCountry) &&
    getCountryCallingCode(accountCountry) === parsed.countryCallingCode;
  const mobile = parsed.countryCallingCode === '47' ? norwegianMobile(parsed.nationalNumber) : null;
  const text = national
    ? (mobile ?? parsed.formatNational())
    : mobile
      ? `+47 ${mobile}`
      : parsed.formatInternational();
  return { text, e164, href: `tel:${e164}` };
}

/**
 * Free text someone typed as a phone (not normalized on save): the number as formatPhone shows
 * it when the whole text is one valid number, read in the account's country when it has no
 * country code (22 33 44 55 on a Norwegian account); null when it is anything else ("Call the
 * desk", "ext. 12"), which the caller shows as written.
 */
export function formatPhoneText(
  text: string,
  accountCountry: string | undefined,
): PhoneDisplay | null {
  const defaultCountry =
    accountCountry !== undefined && isSupportedCountry(accountCountry) ? accountCountry : undefined;
  const parsed = parsePhoneNumberFromString(text.trim(), { defaultCountry, extract: false });
  if (!parsed?.isValid()) return null;
  return formatPhone(parsed.number, accountCountry);
}

/**
 * A name the server wrote (a ticket's requesterName): for a customer known only by phone it is
 * the stored E.164 number, written here as formatPhone writes it; any other name is unchanged.
 */
export function formatNameOrPhone(name: string, accountCountry: string | undefined): string {
  return /^\+[1-9]\d{6,14}$/.test(name) ? formatPhone(name, accountCountry).text : name;
}
