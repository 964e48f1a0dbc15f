// Administration → Account (issue 16 point 4): the account-wide settings that only the API could
// change before: the account's language (new agents, the Customer Hub, mail without an agent),
// the support addresses (mail to them becomes tickets; the first is the From of replies), how long
// a merge can be undone, what a plain Send does to a ticket's status (replyStatus; ReplyBox.tsx
// labels its button from it), and the SMS and inbound email webhook secrets. The default phone
// country and the time zone are shown with a link to the page that sets them (Customers), and the
// other settings pages are listed, so nothing is edited in two places.
import {
  Anchor,
  Button,
  Group,
  List,
  Loader,
  NumberInput,
  Paper,
  Select,
  Stack,
  TagsInput,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  LOCALES,
  replyStatusSchema,
  type AccountSettings,
  type AccountSettingsUpdate,
} from '../../../common/settings.ts';
import { TICKET_STATUSES } from '../../../common/ticket.ts';
import { useAccountSettings } from '../../api/account-data.ts';
import { ApiError } from '../../api/client.ts';
import { keys, settingsApi } from '../../api/kunde.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { localizeFieldError } from '../../i18n/server-messages.ts';
import { AdminPage } from './AdminPage.tsx';
import { WebhookSecrets } from './WebhookSecrets.tsx';

type Editable = Required<
  Pick<
    AccountSettingsUpdate,
    'defaultLocale' | 'supportAddresses' | 'mergeUndoDays' | 'replyStatus'
  >
>;

function editable(settings: AccountSettings): Editable {
  return {
    defaultLocale: settings.defaultLocale,
    supportAddresses: settings.supportAddresses,
    mergeUndoDays: settings.mergeUndoDays,
    replyStatus: settings.replyStatus,
  };
}

export function AccountSettingsPage() {
  const { t } = useTranslation();
  const settings = useAccountSettings();
  return (
    <AdminPage title={t('accountSettings.title')} description={t('accountSettings.intro')}>
      {settings.isError && <ErrorAlert error={settings.error} />}
      {settings.isPending && <Loader aria-label={t('app.loading')} />}
      {settings.data && <AccountForm settings={settings.data} />}
      <WebhookSecrets />
      {settings.data && <SetElsewhere settings={settings.data} />}
    </AdminPage>
  );
}

function AccountForm({ settings }: { settings: AccountSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
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
        const address = Number.isInteger(index) ? values.supportAddresses[index] : undefined;
        const message = localizeFieldError(e, t);
        return address ? `${address}: ${message}` : message;
      })
      .join('; ') || undefined;
  const shownInFields = Boolean(apiError?.errors.length);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (changed.length) save.mutate();
  }

  return (
    <form onSubmit={submit} noValidate aria-label={t('accountSettings.title')}>
      <Stack>
        {save.isError && !shownInFields && <ErrorAlert error={save.error} />}
        <Paper withBorder radius="md" p="lg">
          <Stack gap="lg">
            <Select
              label={t('accountSettings.language')}
              description={t('accountSettings.languageHint')}
              data={LOCALES.map((value) => ({ value, label: t(`language.${value}`) }))}
              value={values.defaultLocale}
              onChange={(next) => next && set('defaultLocale', next)}
              allowDeselect={false}
              maw={360}
              error={errorsFor('defaultLocale')}
            />
            <TagsInput
              label={t('accountSettings.supportAddresses')}
              description={t('accountSettings.supportAddressesHint')}
              placeholder={values.supportAddresses.length ? undefined : 'support@example.com'}
              value={values.supportAddresses}
              onChange={(next) => set('supportAddresses', next)}
              splitChars={[',', ' ', ';']}
              acceptValueOnBlur
              clearable
              error={errorsFor('supportAddresses')}
            />
            <NumberInput
              label={t('accountSettings.mergeUndoDays')}
              description={t('accountSettings.mergeUndoDaysHint')}
              min={1}
              max={365}
              allowDecimal={false}
              value={values.mergeUndoDays}
              onChange={(value) =>
                set('mergeUndoDays', typeof value === 'number' ? value : Number(value) || 0)
              }
              maw={240}
              error={errorsFor('mergeUndoDays')}
            />
            <Select
              label={t('accountSettings.replyStatus')}
              description={t('accountSettings.replyStatusHint')}
              data={[
                { value: 'keep', label: t('accountSettings.replyStatusKeep') },
                ...TICKET_STATUSES.map((status) => ({
                  value: status,
                  label: t('accountSettings.replyStatusSet', {
                    status: t(`tickets.status.${status}`),
                  }),
                })),
              ]}
              value={values.replyStatus}
              onChange={(next) => {
                const parsed = replyStatusSchema.safeParse(next);
                if (parsed.success) set('replyStatus', parsed.data);
              }}
              allowDeselect={false}
              maw={360}
              error={errorsFor('replyStatus')}
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

/** Account settings that have a page of their own: their current value and a link there. */
function SetElsewhere({ settings }: { settings: AccountSettings }) {
  const { t } = useTranslation();
  const country =
    new Intl.DisplayNames([currentLocale()], { type: 'region' }).of(settings.phoneDefaultCountry) ??
    settings.phoneDefaultCountry;
  const pages = [
    { to: '/admin/customers', label: t('accountSettings.elsewhere.customers') },
    { to: '/admin/detail-panel', label: t('accountSettings.elsewhere.detailPanel') },
    { to: '/admin/customer-hub', label: t('accountSettings.elsewhere.hub') },
    { to: '/admin/webhooks', label: t('accountSettings.elsewhere.webhooks') },
    { to: '/admin/inbound-mail', label: t('accountSettings.elsewhere.inboundMail') },
  ];
  return (
    <Paper withBorder radius="md" p="lg">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('accountSettings.elsewhereTitle')}
        </Title>
        <Text size="sm" data-testid="account-country">
          {t('accountSettings.country', {
            country: `${country} (${settings.phoneDefaultCountry})`,
          })}{' '}
          <Anchor component={Link} to="/admin/customers">
            {t('accountSettings.change')}
          </Anchor>
        </Text>
        <Text size="sm" data-testid="account-time-zone">
          {t('accountSettings.timeZone', { zone: settings.timeZone })}{' '}
          <Anchor component={Link} to="/admin/customers">
            {t('accountSettings.change')}
          </Anchor>
        </Text>
        <List size="sm" spacing={4}>
          {pages.map((page) => (
            <List.Item key={page.to}>
              <Anchor component={Link} to={page.to}>
                {page.label}
              </Anchor>
            </List.Item>
          ))}
        </List>
      </Stack>
    </Paper>
  );
}
