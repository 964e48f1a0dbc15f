// /hub/:slug/profile: the customer's own name and language (PATCH /me: nothing else of theirs is
// theirs to change) and their password.
import { Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { LOCALES, type Locale } from '../../../common/settings.ts';
import { hubApi, hubKeys } from '../api.ts';
import { HubErrorAlert, useFieldError } from '../components/HubError.tsx';
import { PasswordForm } from '../components/PasswordForm.tsx';
import { isLocale, showLocale, useHubT } from '../i18n/index.ts';
import { useMe } from '../session.tsx';

export function ProfilePage() {
  const { t } = useHubT();
  const me = useMe();
  const queryClient = useQueryClient();
  const [firstName, setFirstName] = useState(me.customer.firstName ?? '');
  const [lastName, setLastName] = useState(me.customer.lastName ?? '');
  const [locale, setLocale] = useState<Locale>(me.customer.locale);
  const save = useMutation({
    mutationFn: () =>
      hubApi.updateMe({
        firstName: firstName.trim() || null,
        lastName: lastName.trim() || null,
        locale,
      }),
    onSuccess: async (updated) => {
      queryClient.setQueryData(hubKeys.me, updated);
      await showLocale(updated.customer.locale, true);
      notifications.show({ color: 'green', message: t('profile.saved') });
    },
  });
  const fieldError = useFieldError(save.error);
  const password = useMutation({
    mutationFn: (args: { password: string; current?: string }) =>
      hubApi.changePassword(args.password, args.current),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: t('password.saved') });
      await queryClient.invalidateQueries({ queryKey: hubKeys.me });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <Stack maw={560}>
      <Title order={1} size="h2">
        {t('profile.title')}
      </Title>
      <Paper withBorder p="md" radius="md">
        <form onSubmit={submit} noValidate>
          <Stack>
            {save.isError && <HubErrorAlert error={save.error} />}
            <TextInput
              label={t('profile.email')}
              value={me.customer.email ?? ''}
              readOnly
              disabled
            />
            <TextInput
              label={t('profile.firstName')}
              autoComplete="given-name"
              value={firstName}
              error={fieldError('firstName')}
              onChange={(event) => setFirstName(event.currentTarget.value)}
            />
            <TextInput
              label={t('profile.lastName')}
              autoComplete="family-name"
              value={lastName}
              error={fieldError('lastName')}
              onChange={(event) => setLastName(event.currentTarget.value)}
            />
            <Select
              label={t('profile.language')}
              value={locale}
              allowDeselect={false}
              data={LOCALES.map((value) => ({ value, label: t(`language.${value}`) }))}
              onChange={(value) => isLocale(value) && setLocale(value)}
            />
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending}>
                {t('profile.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <Paper withBorder p="md" radius="md">
        <Title order={2} size="h4" mb="sm">
          {t('profile.passwordTitle')}
        </Title>
        <PasswordForm
          askCurrent={me.customer.passwordSet}
          submitLabel="profile.passwordSave"
          pending={password.isPending}
          error={password.error}
          onSubmit={(next, current) => password.mutate({ password: next, current })}
        >
          {!me.customer.passwordSet && <Text size="sm">{t('profile.passwordNone')}</Text>}
          {password.isError && <HubErrorAlert error={password.error} />}
        </PasswordForm>
      </Paper>
    </Stack>
  );
}
