// Login with email and password; the server's answer (wrong password, too many attempts) is shown,
// and a link to "Forgot password".
import { Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { sessionApi } from '../api/kunde.ts';
import { AuthFrame } from '../components/AuthFrame.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useAdoptSession } from './session.tsx';

export function LoginPage() {
  const { t } = useTranslation();
  const adoptSession = useAdoptSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [checked, setChecked] = useState(false);
  const required = (value: string) =>
    checked && !value.trim() ? t('validation.required') : undefined;
  const login = useMutation({
    mutationFn: sessionApi.login,
    onSuccess: adoptSession,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (email.trim() && password) login.mutate({ email, password });
  }

  return (
    <AuthFrame title={t('login.title')} subtitle={t('login.subtitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {login.isError && <ErrorAlert error={login.error} />}
          <TextInput
            label={t('login.email')}
            type="email"
            autoComplete="username"
            autoFocus
            value={email}
            error={required(email)}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <PasswordInput
            label={t('login.password')}
            autoComplete="current-password"
            value={password}
            error={required(password)}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Button type="submit" loading={login.isPending} fullWidth mt="xs">
            {t('login.submit')}
          </Button>
          <Text size="sm" ta="center">
            <Anchor component={Link} to="/forgot-password">
              {t('forgotPassword.link')}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthFrame>
  );
}
