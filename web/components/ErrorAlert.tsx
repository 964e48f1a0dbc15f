// Shows an API error in the agent's language: a validation problem as its field errors
// (translated by their codes), any other problem by its code (web/i18n/problems.ts).
import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { localizeFieldError, localizeProblem } from '../i18n/server-messages.ts';

export function errorMessage(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('errors.network');
    if (error.code === 'scope_all_required') return t('imports.needsScopeAll');
    if (error.status === 403) return t('errors.forbidden');
    if (error.status === 429) return t('errors.rateLimited');
    if (error.code === 'invalid_credentials') return t('login.invalidCredentials');
    if (error.status === 422 && error.errors.length > 0 && !error.detail) {
      return t('errors.fieldsNeedAttention');
    }
    // A validation problem's detail repeats its field errors: show those, translated by code.
    if (error.status === 422 && error.errors.length > 0) {
      const fields = error.errors.map((e) => `${e.field}: ${localizeFieldError(e, t)}`);
      return t('errors.generic', { detail: fields.join('; ') });
    }
    return t('errors.generic', { detail: localizeProblem(error, t) });
  }
  return t('errors.generic', { detail: error instanceof Error ? error.message : String(error) });
}

export function ErrorAlert({ error, children }: { error: unknown; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle />} role="alert">
      {errorMessage(error, t)}
      {children}
    </Alert>
  );
}
