// A new password twice, checked here as the server checks it (HUB_PASSWORD_MIN..MAX characters)
// before anything is sent; optionally the current one. Used by the set-password link, the offer
// after a registration and the profile page.
import { Button, PasswordInput, Stack } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { HUB_PASSWORD_MAX, HUB_PASSWORD_MIN } from '../../../common/hub.ts';
import { useHubT, type HubKey } from '../i18n/index.ts';
import { useFieldError } from './HubError.tsx';

export function PasswordForm(props: {
  askCurrent?: boolean;
  submitLabel: HubKey;
  pending: boolean;
  error: unknown;
  onSubmit: (password: string, currentPassword?: string) => void;
  children?: ReactNode;
}) {
  const { t } = useHubT();
  const fieldError = useFieldError(props.error);
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [checked, setChecked] = useState(false);

  const passwordProblem =
    password.length < HUB_PASSWORD_MIN
      ? t('password.tooShort', { min: HUB_PASSWORD_MIN })
      : password.length > HUB_PASSWORD_MAX
        ? t('password.tooLong', { max: HUB_PASSWORD_MAX })
        : undefined;
  const repeatProblem = repeat !== password ? t('password.mismatch') : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (passwordProblem || repeatProblem) return;
    props.onSubmit(password, props.askCurrent ? current : undefined);
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {props.children}
        {props.askCurrent && (
          <PasswordInput
            label={t('password.current')}
            autoComplete="current-password"
            value={current}
            error={fieldError('currentPassword')}
            onChange={(event) => setCurrent(event.currentTarget.value)}
          />
        )}
        <PasswordInput
          label={t('password.new')}
          description={t('password.subtitle', { min: HUB_PASSWORD_MIN })}
          autoComplete="new-password"
          value={password}
          error={(checked ? passwordProblem : undefined) ?? fieldError('password')}
          onChange={(event) => setPassword(event.currentTarget.value)}
        />
        <PasswordInput
          label={t('password.repeat')}
          autoComplete="new-password"
          value={repeat}
          error={checked ? repeatProblem : undefined}
          onChange={(event) => setRepeat(event.currentTarget.value)}
        />
        <Button type="submit" loading={props.pending}>
          {t(props.submitLabel)}
        </Button>
      </Stack>
    </form>
  );
}
