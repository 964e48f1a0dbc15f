// The server's refusals in the customer's language: known codes by their own sentence, field errors
// by their stable code (web/i18n/field-errors.ts, the console's catalogue), other sentences through
// the console's rules (server-message-rules.ts); English readers see the server's own English.
import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import type { Locale } from '../../../common/settings.ts';
import { ApiError } from '../../api/client.ts';
import { translateFieldError } from '../../i18n/field-errors.ts';
import { translateServerMessage } from '../../i18n/server-message-rules.ts';
import { useHubT, type HubT } from '../i18n/index.ts';

function localized(message: string, locale: Locale, i18nT: TFunction): string {
  return locale === 'en' ? message : translateServerMessage(message, i18nT);
}

export function hubErrorMessage(error: unknown, t: HubT, i18nT: TFunction, locale: Locale): string {
  if (!(error instanceof ApiError)) {
    return t('errors.generic', { detail: error instanceof Error ? error.message : String(error) });
  }
  if (error.status === 0) return t('errors.network');
  if (error.status === 429) return t('errors.rateLimited');
  if (error.code === 'invalid_credentials') return t('signIn.invalidCredentials');
  if (error.code === 'invalid_link') return t('link.invalid');
  if (error.code === 'registration_closed') return t('register.closed');
  if (error.status === 403 && !error.detail) return t('errors.forbidden');
  if (error.status === 422 && error.errors.length > 0) {
    const fields = error.errors.map((e) =>
      locale === 'en' ? e.message : translateFieldError(e, i18nT),
    );
    return fields.join(' ');
  }
  if (error.status === 404 && !error.detail) return t('errors.notFound');
  return t('errors.generic', {
    detail: error.detail ? localized(error.detail, locale, i18nT) : error.code,
  });
}

/** The translated errors the server gave for one field, for the field's own `error`. */
export function useFieldError(error: unknown): (field: string) => string | undefined {
  const { locale, i18nT } = useHubT();
  return (field) => {
    if (!(error instanceof ApiError)) return undefined;
    const found = error.fieldErrorsOf(field);
    if (found.length === 0) return undefined;
    return found
      .map((e) => (locale === 'en' ? e.message : translateFieldError(e, i18nT)))
      .join(' ');
  };
}

export function HubErrorAlert({ error, children }: { error: unknown; children?: ReactNode }) {
  const { t, i18nT, locale } = useHubT();
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle />} role="alert">
      {hubErrorMessage(error, t, i18nT, locale)}
      {children}
    </Alert>
  );
}
