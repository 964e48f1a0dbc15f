// Profile → Password: the current password and the new one twice. The server checks the current
// one (a wrong one counts as a failed login) and ends the agent's other sessions.
import { Button, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN } from '../../../common/auth.ts';
import { ApiError } from '../../api/client.ts';
import { ownPasswordApi } from '../../api/profile.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';

export function PasswordForm() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [checked, setChecked] = useState(false);
  const change = useMutation({
    mutationFn: () => ownPasswordApi.change({ currentPassword: current, password }),
    onSuccess: () => {
      setCurrent('');
      setPassword('');
      setRepeat('');
      setChecked(false);
      notifications.show({ color: 'green', message: t('profile.passwordChanged') });
    },
  });
  const apiError = change.error instanceof ApiError ? change.error : null;
  const serverError = (field: string) =>
    apiError
      ?.fieldErrorsOf(field)
      .map((e) => localizeFieldError(e, t))
      .join('; ') || undefined;
  const fieldProblem = apiError?.status === 422 && apiError.errors.length > 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (current && password.length >= PASSWORD_MIN && password === repeat) change.mutate();
  }

  return (
    <form onSubmit={submit} noValidate aria-label={t('profile.passwordTitle')}>
      <Stack maw={420}>
        <Title order={2} size="h4">
          {t('profile.passwordTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('profile.passwordIntro')}
        </Text>
        {change.isError && !fieldProblem && <ErrorAlert error={change.error} />}
        <PasswordInput
          label={t('profile.currentPassword')}
          autoComplete="current-password"
          value={current}
          onChange={(event) => setCurrent(event.currentTarget.value)}
          error={
            (checked && !current ? t('validation.required') : undefined) ??
            serverError('currentPassword')
          }
        />
        <PasswordInput
          label={t('profile.newPassword')}
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={
            (checked && password.length < PASSWORD_MIN ? t('setPassword.tooShort') : undefined) ??
            serverError('password')
          }
        />
        <PasswordInput
          label={t('profile.repeatPassword')}
          autoComplete="new-password"
          value={repeat}
          onChange={(event) => setRepeat(event.currentTarget.value)}
          error={checked && repeat !== password ? t('setPassword.mismatch') : undefined}
        />
        <Group>
          <Button type="submit" loading={change.isPending}>
            {t('profile.changePassword')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
