// First run: creates the account and its first administrator, then logs them in.
import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PASSWORD_MIN, type Setup } from '../../common/auth.ts';
import { ApiError } from '../api/client.ts';
import { setupApi } from '../api/kunde.ts';
import { AuthFrame } from '../components/AuthFrame.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { currentLocale } from '../i18n/index.ts';
import { localizeFieldError } from '../i18n/server-messages.ts';
import { useAdoptSession } from './session.tsx';

const EMPTY: Setup = { accountName: '', name: '', email: '', password: '' };

export function SetupPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const adoptSession = useAdoptSession();
  const [values, setValues] = useState<Setup>(EMPTY);
  const [missing, setMissing] = useState<Partial<Record<keyof Setup, string>>>({});
  const setup = useMutation({
    mutationFn: setupApi.run,
    onSuccess: async (session) => {
      await adoptSession(session);
      await navigate('/customers', { replace: true });
    },
  });
  const apiError = setup.error instanceof ApiError ? setup.error : null;
  const fieldError = (field: keyof Setup) =>
    missing[field] ??
    (apiError
      ?.fieldErrorsOf(field)
      .map((message) => localizeFieldError(message, t))
      .join('; ') ||
      undefined);
  const field = (name: keyof Setup) => ({
    value: values[name],
    error: fieldError(name),
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      const value = event.currentTarget.value;
      setValues((current) => ({ ...current, [name]: value }));
      setMissing((current) => ({ ...current, [name]: undefined }));
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    // The obvious mistakes are caught here, in the agent's language, before anything is sent.
    const problems: Partial<Record<keyof Setup, string>> = {};
    for (const name of ['accountName', 'name', 'email'] as const) {
      if (!values[name].trim()) problems[name] = t('validation.required');
    }
    if (values.password.length < PASSWORD_MIN) {
      problems.password = t('validation.atLeast', { min: PASSWORD_MIN });
    }
    setMissing(problems);
    // The language the page is shown in becomes the account's default and the admin's own.
    if (Object.keys(problems).length === 0) setup.mutate({ ...values, locale: currentLocale() });
  }

  return (
    <AuthFrame title={t('setup.title')} subtitle={t('setup.intro')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {setup.isError && !(apiError && apiError.errors.length > 0) && (
            <ErrorAlert error={setup.error} />
          )}
          <TextInput
            label={t('setup.accountName')}
            description={t('setup.accountNameHint')}
            autoFocus
            autoComplete="organization"
            {...field('accountName')}
          />
          <TextInput label={t('setup.name')} autoComplete="name" {...field('name')} />
          <TextInput
            label={t('setup.email')}
            type="email"
            autoComplete="username"
            {...field('email')}
          />
          <PasswordInput
            label={t('setup.password')}
            description={t('setup.passwordHint')}
            autoComplete="new-password"
            {...field('password')}
          />
          <Button type="submit" loading={setup.isPending} fullWidth mt="xs">
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
