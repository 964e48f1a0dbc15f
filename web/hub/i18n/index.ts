// i18next for the Customer Hub: its own instance (the console's global one is never loaded), its
// strings in hub/i18n/{en,nb}.json as the default namespace, and the console's resources as the
// fallback namespace so the server's field errors and sentences translate by the same catalogue
// (web/i18n/field-errors.ts, server-message-rules.ts). The language a browser chose before
// signing in is kept in localStorage; a signed-in customer's is kept by the server (PATCH /me).
import { createInstance, type TFunction } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../../common/settings.ts';
import { en as consoleEn, nb as consoleNb } from '../../i18n/resources.ts';
import en from './en.json';
import nb from './nb.json';

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every key of the Hub's English strings: the Norwegian file has the same (e2e/locales.test.ts). */
export type HubKey = Leaves<typeof en>;
export type HubT = (key: HubKey, options?: Record<string, unknown>) => string;

const STORAGE_KEY = 'kunde.hub.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The language this browser chose in the Hub, if it ever did. */
export function storedLocale(): Locale | undefined {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : undefined;
  } catch {
    return undefined; // Storage can be disabled.
  }
}

export const hubI18n = createInstance();

// Resources are inline, so init completes synchronously; nothing waits on its promise.
void hubI18n.use(initReactI18next).init({
  resources: {
    en: { hub: en, translation: consoleEn },
    nb: { hub: nb, translation: consoleNb },
  },
  lng: storedLocale() ?? 'en',
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  ns: ['hub', 'translation'],
  defaultNS: 'hub',
  fallbackNS: 'translation',
  interpolation: { escapeValue: false }, // React escapes already.
  returnNull: false,
});
document.documentElement.lang = hubI18n.language;
hubI18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

export function currentLocale(): Locale {
  return isLocale(hubI18n.resolvedLanguage) ? hubI18n.resolvedLanguage : 'en';
}

/** Shows the Hub in `locale`; `remember` keeps it in this browser for the next visit. */
export async function showLocale(locale: Locale, remember: boolean): Promise<void> {
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // Not remembered in this browser; a signed-in customer's choice is kept by the server.
    }
  }
  if (hubI18n.resolvedLanguage !== locale) await hubI18n.changeLanguage(locale);
}

/**
 * The Hub's typed `t` (keys of hub/i18n/en.json), re-rendering on a language change. The console's
 * typed keys (web/i18n/i18next.d.ts) describe the other namespace, hence the cast.
 */
export function useHubT(): { t: HubT; locale: Locale; i18nT: TFunction } {
  // The provider's and the instance's default namespace is 'hub'.
  const { t } = useTranslation();
  const i18nT = t;
  return { t: i18nT as unknown as HubT, locale: currentLocale(), i18nT };
}

/** Dates as a Norwegian or an English reader writes them. */
export function formatDateTime(iso: string, locale: Locale = currentLocale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'nb' ? 'nb-NO' : 'en', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

export function formatBytes(bytes: number, locale: Locale = currentLocale()): string {
  const format = new Intl.NumberFormat(locale === 'nb' ? 'nb-NO' : 'en', {
    maximumFractionDigits: 1,
  });
  if (bytes < 1024) return `${format.format(bytes)} B`;
  if (bytes < 1024 * 1024) return `${format.format(bytes / 1024)} KB`;
  return `${format.format(bytes / 1024 / 1024)} MB`;
}
