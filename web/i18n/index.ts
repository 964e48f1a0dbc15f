// i18next for the console: English and Norwegian Bokmål resources, the language the browser last
// chose (kept in localStorage for the login page), <html lang>, and Intl formatting helpers.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LOCALES, type Locale } from '../../common/settings.ts';
import en from './en.json';
import nb from './nb.json';

export const resources = { en: { translation: en }, nb: { translation: nb } } as const;

const STORAGE_KEY = 'kunde.locale';

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

export default i18n;
