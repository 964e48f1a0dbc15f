// /hub/:slug: sign in with email and password (when the account allows it), or ask for a one-time
// link by email; "Forgot password?" and "Register" where the account offers them. A correct
// credential for a customer whose access is off shows the support contact details instead.
import {
  Alert,
  Anchor,
  Button,
  Divider,
  Group,
  PasswordInput,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import type { HubSignInResult } from '../../../common/hub.ts';
import { hubApi } from '../api.ts';
import { AccessOff } from '../components/AccessOff.tsx';
import { HubErrorAlert, useFieldError } from '../components/HubError.tsx';
import { PublicFrame } from '../components/PublicFrame.tsx';
import { useHubT } from '../i18n/index.ts';
import { useAdoptCustomer, useMeQuery, useSite } from '../session.tsx';

/** Signed in → into the Hub; access off → the support contact details (the caller shows them). */
export function useSignInResult() {
  const site = useSite();
  const adopt = useAdoptCustomer();
  const navigate = useNavigate();
  const [accessOff, setAccessOff] = useState<Extract<HubSignInResult, { status: 'access_off' }>>();
  async function handle(result: HubSignInResult, next = `/${site.slug}/tickets`) {
    if (result.status === 'access_off') {
      setAccessOff(result);
      return;
    }
    await adopt(result.me);
    await navigate(next, { replace: true });
  }
  return { accessOff, clearAccessOff: () => setAccessOff(undefined), handle };
}

export function SignInPage() {
  const { t, locale } = useHubT();
  const site = useSite();
  const me = useMeQuery(site.slug);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [checked, setChecked] = useState(false);
  const [linkSentTo, setLinkSentTo] = useState<string>();
  const { accessOff, clearAccessOff, handle } = useSignInResult();

  const signIn = useMutation({
    mutationFn: () => hubApi.signIn(site.slug, email.trim(), password),
    onSuccess: (result) => handle(result),
  });
  const link = useMutation({
    mutationFn: () => hubApi.requestSignInLink(site.slug, email.trim(), locale),
    onSuccess: () => setLinkSentTo(email.trim()),
  });
  const error = signIn.error ?? link.error;
  const fieldError = useFieldError(error);
  const required = (value: string) =>
    checked && !value.trim() ? t('newTicket.required') : undefined;

  if (me.data) return <Navigate to={`/${site.slug}/tickets`} replace />;
  if (accessOff) {
    return (
      <AccessOff
        accountName={accessOff.accountName}
        supportContact={accessOff.supportContact}
        onBack={() => {
          clearAccessOff();
          setPassword('');
        }}
      />
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    link.reset();
    if (email.trim() && password) signIn.mutate();
  }

  function askForLink() {
    setChecked(true);
    signIn.reset();
    if (email.trim()) link.mutate();
  }

  return (
    <PublicFrame
      accountName={site.accountName}
      title={t('signIn.title')}
      subtitle={t('signIn.subtitle')}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {error && !fieldError('email') && <HubErrorAlert error={error} />}
          {linkSentTo && (
            <Alert color="green" variant="light" role="status">
              {t('signIn.linkSent', { email: linkSentTo, account: site.accountName })}
            </Alert>
          )}
          {!site.passwordSignIn && !site.linkSignIn && <Text>{t('signIn.noMethods')}</Text>}
          <TextInput
            label={t('signIn.email')}
            type="email"
            autoComplete="username"
            autoFocus
            value={email}
            error={required(email) ?? fieldError('email')}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          {site.passwordSignIn && (
            <>
              <PasswordInput
                label={t('signIn.password')}
                autoComplete="current-password"
                value={password}
                error={link.isIdle ? required(password) : undefined}
                onChange={(event) => setPassword(event.currentTarget.value)}
              />
              <Group justify="flex-end" mt={-8}>
                <Anchor component={Link} to={`/${site.slug}/forgot`} size="sm">
                  {t('signIn.forgot')}
                </Anchor>
              </Group>
              <Button type="submit" loading={signIn.isPending} fullWidth>
                {t('signIn.submit')}
              </Button>
            </>
          )}
          {site.passwordSignIn && site.linkSignIn && (
            <Divider label={t('signIn.orLink')} labelPosition="center" />
          )}
          {site.linkSignIn && (
            <Button
              variant={site.passwordSignIn ? 'default' : 'filled'}
              loading={link.isPending}
              onClick={askForLink}
              fullWidth
            >
              {t('signIn.emailLink')}
            </Button>
          )}
          {site.selfRegistration && (
            <Text size="sm" ta="center">
              {t('signIn.noAccount')}{' '}
              <Anchor component={Link} to={`/${site.slug}/register`}>
                {t('signIn.register')}
              </Anchor>
            </Text>
          )}
        </Stack>
      </form>
    </PublicFrame>
  );
}
