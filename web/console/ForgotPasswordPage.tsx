// "Forgot password" (/forgot-password, linked from the login page, outside the login): the agent
// gives their email and Kunde mails a set-password link. The page says the same thing for any
// address (the server answers alike), so it tells nobody whether an address is an agent's.
import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ownPasswordApi } from '../api/profile.ts';
import { AuthFrame } from '../components/AuthFrame.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [checked, setChecked] = useState(false);
  const send = useMutation({ mutationFn: () => ownPasswordApi.forgot(email.trim()) });

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (email.trim()) send.mutate();
  }

  return (
    <AuthFrame title={t('forgotPassword.title')} subtitle={t('forgotPassword.subtitle')}>
      {send.isSuccess ? (
        <Stack>
          <Alert color="green" role="status">
            {t('forgotPassword.sent', { email: email.trim() })}
          </Alert>
          <Anchor component={Link} to="/login" size="sm">
            {t('forgotPassword.backToLogin')}
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {send.isError && <ErrorAlert error={send.error} />}
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              autoFocus
              value={email}
              error={checked && !email.trim() ? t('validation.required') : undefined}
              onChange={(event) => setEmail(event.currentTarget.value)}
            />
            <Button type="submit" loading={send.isPending} fullWidth mt="xs">
              {t('forgotPassword.submit')}
            </Button>
            <Text size="sm" ta="center">
              <Anchor component={Link} to="/login">
                {t('forgotPassword.backToLogin')}
              </Anchor>
            </Text>
          </Stack>
        </form>
      )}
    </AuthFrame>
  );
}
