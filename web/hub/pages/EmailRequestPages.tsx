// The pages that ask for an email and answer "a link is on its way": Forgot password (a
// set-password link) and Register (a confirmation link; nothing is created until it is opened).
// The server answers the same for known and unknown addresses, and so does this page.
import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { hubApi } from '../api.ts';
import { HubErrorAlert, useFieldError } from '../components/HubError.tsx';
import { PublicFrame } from '../components/PublicFrame.tsx';
import { useHubT } from '../i18n/index.ts';
import { useSite } from '../session.tsx';

export function ForgotPasswordPage() {
  const { t } = useHubT();
  const site = useSite();
  const [email, setEmail] = useState('');
  const [checked, setChecked] = useState(false);
  const request = useMutation({
    mutationFn: () => hubApi.requestPasswordReset(site.slug, email.trim()),
  });
  const fieldError = useFieldError(request.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (email.trim()) request.mutate();
  }

  return (
    <PublicFrame
      accountName={site.accountName}
      title={t('forgot.title')}
      subtitle={t('forgot.subtitle')}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {request.isError && !fieldError('email') && <HubErrorAlert error={request.error} />}
          {request.isSuccess ? (
            <Alert color="green" variant="light" role="status">
              {t('forgot.sent', { email: email.trim(), account: site.accountName })}
            </Alert>
          ) : (
            <>
              <TextInput
                label={t('signIn.email')}
                type="email"
                autoComplete="username"
                autoFocus
                value={email}
                error={
                  (checked && !email.trim() ? t('newTicket.required') : undefined) ??
                  fieldError('email')
                }
                onChange={(event) => setEmail(event.currentTarget.value)}
              />
              <Button type="submit" loading={request.isPending}>
                {t('forgot.submit')}
              </Button>
            </>
          )}
          <Anchor component={Link} to={`/${site.slug}`} size="sm" ta="center">
            {t('forgot.back')}
          </Anchor>
        </Stack>
      </form>
    </PublicFrame>
  );
}

export function RegisterPage() {
  const { t, locale } = useHubT();
  const site = useSite();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [checked, setChecked] = useState(false);
  const register = useMutation({
    mutationFn: () =>
      hubApi.register(site.slug, { name: name.trim(), email: email.trim(), locale }),
  });
  const fieldError = useFieldError(register.error);
  const required = (value: string) =>
    checked && !value.trim() ? t('newTicket.required') : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (name.trim() && email.trim()) register.mutate();
  }

  const back = (
    <Text size="sm" ta="center">
      {t('register.haveAccount')}{' '}
      <Anchor component={Link} to={`/${site.slug}`}>
        {t('register.signIn')}
      </Anchor>
    </Text>
  );

  if (!site.selfRegistration) {
    return (
      <PublicFrame accountName={site.accountName} title={t('register.title')}>
        <Stack>
          <Text>{t('register.closed')}</Text>
          {back}
        </Stack>
      </PublicFrame>
    );
  }

  return (
    <PublicFrame
      accountName={site.accountName}
      title={t('register.title')}
      subtitle={t('register.subtitle')}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {register.isError && !fieldError('email') && !fieldError('name') && (
            <HubErrorAlert error={register.error} />
          )}
          {register.isSuccess ? (
            <Alert color="green" variant="light" role="status">
              {t('register.sent', { email: email.trim() })}
            </Alert>
          ) : (
            <>
              <TextInput
                label={t('register.name')}
                autoComplete="name"
                autoFocus
                value={name}
                error={required(name) ?? fieldError('name')}
                onChange={(event) => setName(event.currentTarget.value)}
              />
              <TextInput
                label={t('register.email')}
                type="email"
                autoComplete="email"
                value={email}
                error={required(email) ?? fieldError('email')}
                onChange={(event) => setEmail(event.currentTarget.value)}
              />
              <Button type="submit" loading={register.isPending}>
                {t('register.submit')}
              </Button>
            </>
          )}
          {back}
        </Stack>
      </form>
    </PublicFrame>
  );
}
