// Administration → Customers: account settings for customers. "Automatically create customer
// organization", extra domains that never group customers, whether the detail panel shows the
// customer type, free-form attributes, and the country national phone numbers are read in.
import { Button, Group, Loader, Paper, Select, Stack, Switch, TagsInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { getCountries } from 'libphonenumber-js/min';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountSettings, AccountSettingsUpdate } from '../../../common/settings.ts';
import { useAccountSettings } from '../../api/account-data.ts';
import { ApiError } from '../../api/client.ts';
import { keys, settingsApi } from '../../api/kunde.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { localizeFieldError } from '../../i18n/server-messages.ts';
import { AdminPage } from './AdminPage.tsx';
import { RetentionSettings } from '../erasure/RetentionSettings.tsx';

type Editable = Required<
  Pick<
    AccountSettingsUpdate,
    | 'autoCreateOrganizations'
    | 'ignoredDomains'
    | 'showCustomerType'
    | 'allowFreeformAttributes'
    | 'phoneDefaultCountry'
  >
>;

function editable(settings: AccountSettings): Editable {
  return {
    autoCreateOrganizations: settings.autoCreateOrganizations,
    ignoredDomains: settings.ignoredDomains,
    showCustomerType: settings.showCustomerType,
    allowFreeformAttributes: settings.allowFreeformAttributes,
    phoneDefaultCountry: settings.phoneDefaultCountry,
  };
}

function useCountryOptions() {
  const locale = currentLocale();
  return useMemo(() => {
    const names = new Intl.DisplayNames([locale], { type: 'region' });
    return getCountries()
      .map((code) => ({ value: code, label: `${names.of(code) ?? code} (${code})` }))
      .sort((a, b) => a.label.localeCompare(b.label, locale));
  }, [locale]);
}

export function CustomerSettingsPage() {
  const { t } = useTranslation();
  const settings = useAccountSettings();
  return (
    <AdminPage title={t('admin.customers.title')} description={t('admin.customers.intro')}>
      {settings.isError && <ErrorAlert error={settings.error} />}
      {settings.isPending && <Loader aria-label={t('app.loading')} />}
      {settings.data && <SettingsForm settings={settings.data} />}
      {settings.data && <RetentionSettings settings={settings.data} />}
    </AdminPage>
  );
}

function SettingsForm({ settings }: { settings: AccountSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const countries = useCountryOptions();
  const [values, setValues] = useState<Editable>(() => editable(settings));
  const saved = editable(settings);
  const changed = (Object.keys(values) as (keyof Editable)[]).filter(
    (key) => JSON.stringify(values[key]) !== JSON.stringify(saved[key]),
  );
  const set = <K extends keyof Editable>(key: K, value: Editable[K]) =>
    setValues((current) => ({ ...current, [key]: value }));

  const save = useMutation({
    mutationFn: () =>
      settingsApi.update(Object.fromEntries(changed.map((key) => [key, values[key]]))),
    onSuccess: (next) => {
      queryClient.setQueryData(keys.settings, next);
      setValues(editable(next));
      notifications.show({ color: 'green', message: t('form.saved') });
    },
  });
  const apiError = save.error instanceof ApiError ? save.error : null;
  const errorsFor = (prefix: string) =>
    apiError?.errors
      .filter((e) => e.field === prefix || e.field.startsWith(`${prefix}.`))
      .map((e) => {
        const index = Number(e.field.split('.')[1]);
        const domain = Number.isInteger(index) ? values.ignoredDomains[index] : undefined;
        const message = localizeFieldError(e, t);
        return domain ? `${domain}: ${message}` : message;
      })
      .join('; ') || undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (changed.length) save.mutate();
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {save.isError && !(apiError?.status === 422 && apiError.errors.length) && (
          <ErrorAlert error={save.error} />
        )}
        <Paper withBorder radius="md" p="lg">
          <Stack gap="lg">
            <Switch
              label={t('admin.customers.autoCreate')}
              description={t('admin.customers.autoCreateHint')}
              checked={values.autoCreateOrganizations}
              onChange={(event) => set('autoCreateOrganizations', event.currentTarget.checked)}
            />
            <TagsInput
              label={t('admin.customers.ignoredDomains')}
              description={t('admin.customers.ignoredDomainsHint')}
              placeholder={values.ignoredDomains.length ? undefined : 'example.net'}
              value={values.ignoredDomains}
              onChange={(next) => set('ignoredDomains', next)}
              splitChars={[',', ' ', ';']}
              acceptValueOnBlur
              clearable
              error={errorsFor('ignoredDomains')}
            />
          </Stack>
        </Paper>
        <Paper withBorder radius="md" p="lg">
          <Stack gap="lg">
            <Switch
              label={t('admin.customers.showType')}
              description={t('admin.customers.showTypeHint')}
              checked={values.showCustomerType}
              onChange={(event) => set('showCustomerType', event.currentTarget.checked)}
            />
            <Switch
              label={t('admin.customers.freeform')}
              description={t('admin.customers.freeformHint')}
              checked={values.allowFreeformAttributes}
              onChange={(event) => set('allowFreeformAttributes', event.currentTarget.checked)}
            />
            <Select
              label={t('admin.customers.phoneCountry')}
              description={t('admin.customers.phoneCountryHint')}
              data={countries}
              value={values.phoneDefaultCountry}
              onChange={(next) => next && set('phoneDefaultCountry', next)}
              searchable
              allowDeselect={false}
              maw={360}
              error={errorsFor('phoneDefaultCountry')}
            />
          </Stack>
        </Paper>
        <Group justify="flex-end">
          <Button
            variant="default"
            disabled={!changed.length || save.isPending}
            onClick={() => setValues(saved)}
          >
            {t('admin.discard')}
          </Button>
          <Button type="submit" disabled={!changed.length} loading={save.isPending}>
            {t('app.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
