// The page an emailed set-password link opens (/set-password#<token>), outside the login: it
// checks the link, shows whom it is for, and sets the password; then the agent logs in. The
// token is read from the fragment, which the browser never sends when it loads the page.
import { Alert, Anchor, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { PASSWORD_MIN } from '../../common/auth.ts';
import { agentKeys, passwordLinksApi } from '../api/agents.ts';
import { ApiError } from '../api/client.ts';
import { AuthFrame } from '../components/AuthFrame.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { localizeServerMessage } from '../i18n/server-messages.ts';

function LinkProblem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const code = error instanceof ApiError ? error.code : '';
  const message =
    code === 'password_link_used'
      ? t('setPassword.linkUsed')
      : code === 'password_link_expired'
        ? t('setPassword.linkExpired')
        : code === 'password_link_not_found'
          ? t('setPassword.linkNotValid')
          : null;
  return message ? (
    <Alert color="red" role="alert">
      {message}
    </Alert>
  ) : (
    <ErrorAlert error={error} />
  );
}

export function SetPasswordPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const token = decodeURIComponent(location.hash.replace(/^#/, ''));
  const link = useQuery({
    queryKey: agentKeys.passwordLink(token),
    queryFn: () => passwordLinksApi.check(token),
    enabled: token !== '',
    retry: false,
  });
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [checked, setChecked] = useState(false);
  const save = useMutation({ mutationFn: () => passwordLinksApi.set(token, password) });

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (password.length >= PASSWORD_MIN && password === repeat) save.mutate();
  }

  const info = link.data;
  const subtitle = info
    ? t(info.purpose === 'reset' ? 'setPassword.resetSubtitle' : 'setPassword.inviteSubtitle', {
        account: info.accountName,
        name: info.name,
        email: info.email,
      })
    : undefined;
  const apiError = save.error instanceof ApiError ? save.error : null;
  const passwordError = checked
    ? password.length < PASSWORD_MIN
      ? t('setPassword.tooShort')
      : apiError?.fieldMessages('password').map((m) => localizeServerMessage(m, t))[0]
    : undefined;

  return (
    <AuthFrame title={t('setPassword.title')} subtitle={subtitle}>
      {!token && <Alert color="red">{t('setPassword.missing')}</Alert>}
      {link.isError && <LinkProblem error={link.error} />}
      {save.isSuccess && (
        <Stack>
          <Alert color="green">{t('setPassword.done')}</Alert>
          <Button component={Link} to="/login" fullWidth>
            {t('setPassword.toLogin')}
          </Button>
        </Stack>
      )}
      {info && !save.isSuccess && (
        <form onSubmit={submit} noValidate>
          <Stack>
            {save.isError && !passwordError && <LinkProblem error={save.error} />}
            <Text size="sm" fw={600}>
              {info.email}
            </Text>
            <PasswordInput
              label={t('setPassword.password')}
              autoComplete="new-password"
              autoFocus
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={passwordError}
            />
            <PasswordInput
              label={t('setPassword.confirm')}
              autoComplete="new-password"
              value={repeat}
              onChange={(e) => setRepeat(e.currentTarget.value)}
              error={checked && repeat !== password ? t('setPassword.mismatch') : undefined}
            />
            <Button type="submit" loading={save.isPending} fullWidth mt="xs">
              {t('setPassword.submit')}
            </Button>
          </Stack>
        </form>
      )}
      {(link.isError || !token) && (
        <Anchor component={Link} to="/login" size="sm" mt="md" display="block">
          {t('setPassword.toLogin')}
        </Anchor>
      )}
    </AuthFrame>
  );
}
