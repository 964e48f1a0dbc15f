// i18next for the console: English and Norwegian Bokmål resources, the language the browser last
// chose (kept in localStorage for the login page), <html lang>, and Intl formatting helpers.
//
// Which language a logged-in agent sees, in this order (session.tsx applies it):
//   1. a language chosen on the login or setup page just before logging in: it is saved to the
//      agent's profile at login, so choosing Norsk there is never undone by the login itself;
//   2. else the agent's saved language (their profile; the header switch changes it);
//   3. an agent who never chose one was given the account's default when they were created
//      (the language chosen at first-run setup), so 2 covers it.
// A reload shows the saved language, which after 1 is the one chosen.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LOCALES, type Locale } from '../../common/settings.ts';
import { en, nb } from './resources.ts';

export const resources = { en: { translation: en }, nb: { translation: nb } } as const;

const STORAGE_KEY = 'kunde.locale';
/** A language picked on the login or setup page, not yet saved to an agent's profile. */
const CHOICE_KEY = 'kunde.locale.chosenBeforeLogin';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // Storage can be disabled; fall through to the browser's languages.
  }
  const norwegian = navigator.languages.some((language) => /^(nb|no|nn)\b/i.test(language));
  return norwegian ? 'nb' : 'en';
}

/** The locale the console shows now. */
export function currentLocale(): Locale {
  return isLocale(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en';
}

/** Switches the console's language and remembers it in this browser. */
export async function applyLocale(locale: Locale): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered in this browser; the server keeps it for a logged-in agent anyway.
  }
  if (i18n.resolvedLanguage !== locale) await i18n.changeLanguage(locale);
}

/** Remembers that the language was chosen by hand before anyone logged in (rule 1 above). */
export function rememberChoiceBeforeLogin(locale: Locale): void {
  try {
    localStorage.setItem(CHOICE_KEY, locale);
  } catch {
    // Without storage the choice still holds for this page; the login then keeps the saved one.
  }
}

/** The language chosen before logging in, once: the login that reads it saves it. */
export function takeChoiceBeforeLogin(): Locale | undefined {
  try {
    const chosen = localStorage.getItem(CHOICE_KEY);
    localStorage.removeItem(CHOICE_KEY);
    return isLocale(chosen) ? chosen : undefined;
  } catch {
    return undefined;
  }
}

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

// With the resources inline, init finishes synchronously; nothing waits on its promise.
void i18n.use(initReactI18next).init({
  resources,
  lng: initialLocale(),
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  interpolation: { escapeValue: false }, // React escapes already.
  returnNull: false,
});
document.documentElement.lang = i18n.language;

export function formatDateTime(iso: string, locale: Locale = currentLocale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatNumber(value: number, locale: Locale = currentLocale()): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** A share (0.4) as a percentage in the agent's language ("40%", "40 %"); below 1% one decimal. */
export function formatPercent(share: number, locale: Locale = currentLocale()): string {
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    maximumFractionDigits: share > 0 && share < 0.01 ? 1 : 0,
  }).format(share);
}

export default i18n;
