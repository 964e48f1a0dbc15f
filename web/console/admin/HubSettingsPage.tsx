// Administration → Customer Hub: the Hub on or off, its address with the full URL and a copy
// button, the sign-in methods, self-registration and its domains, and the support contact
// (message in English and Norwegian, email, phone) shown to a customer whose access is off.
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  CopyButton,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HubSettings, HubSettingsUpdate } from '../../../common/hub.ts';
import { ApiError } from '../../api/client.ts';
import { hubApi, hubKeys, hubUrl, useHubSettings } from '../../api/hub.ts';
import { keys } from '../../api/kunde.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';
import { AdminPage } from './AdminPage.tsx';

type Form = Required<Omit<HubSettingsUpdate, 'supportContact'>> & {
  contact: { en: string; nb: string; email: string; phone: string };
};

function formOf(settings: HubSettings): Form {
  const { supportContact: c } = settings;
  return {
    enabled: settings.enabled,
    slug: settings.slug ?? '',
    passwordSignIn: settings.passwordSignIn,
    linkSignIn: settings.linkSignIn,
    selfRegistration: settings.selfRegistration,
    registrationDomains: settings.registrationDomains,
    contact: { ...c.message, email: c.email ?? '', phone: c.phone ?? '' },
  };
}

/** Only what changed; an empty address is left to the server to pick. */
function changesOf(form: Form, saved: Form): HubSettingsUpdate {
  const body: HubSettingsUpdate = {};
  if (form.enabled !== saved.enabled) body.enabled = form.enabled;
  if (form.slug.trim() && form.slug.trim() !== saved.slug) body.slug = form.slug.trim();
  if (form.passwordSignIn !== saved.passwordSignIn) body.passwordSignIn = form.passwordSignIn;
  if (form.linkSignIn !== saved.linkSignIn) body.linkSignIn = form.linkSignIn;
  if (form.selfRegistration !== saved.selfRegistration)
    body.selfRegistration = form.selfRegistration;
  if (JSON.stringify(form.registrationDomains) !== JSON.stringify(saved.registrationDomains))
    body.registrationDomains = form.registrationDomains;
  if (JSON.stringify(form.contact) !== JSON.stringify(saved.contact)) {
    const { en, nb, email, phone } = form.contact;
    body.supportContact = {
      message: { en, nb },
      email: email.trim() || null,
      phone: phone.trim() || null,
    };
  }
  return body;
}

export function HubSettingsPage() {
  const { t } = useTranslation();
  const settings = useHubSettings();
  return (
    <AdminPage title={t('customerHub.settingsTitle')} description={t('customerHub.settingsIntro')}>
      {settings.isError && <ErrorAlert error={settings.error} />}
      {settings.isPending && <Loader aria-label={t('app.loading')} />}
      {settings.data && <HubSettingsForm settings={settings.data} />}
    </AdminPage>
  );
}

function HubSettingsForm({ settings }: { settings: HubSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(settings));
  const saved = formOf(settings);
  const changes = changesOf(form, saved);
  const dirty = Object.keys(changes).length > 0;
  const set = <K extends keyof Form>(key: K, value: Form[K]) =>
    setForm((current) => ({ ...current, [key]: value }));
  const setContact = (key: keyof Form['contact'], value: string) =>
    setForm((current) => ({ ...current, contact: { ...current.contact, [key]: value } }));

  const save = useMutation({
    mutationFn: () => hubApi.updateSettings(changes),
    onSuccess: async (next) => {
      queryClient.setQueryData(hubKeys.settings, next);
      setForm(formOf(next));
      notifications.show({ color: 'green', message: t('customerHub.settingsSaved') });
      // The customer form shows its switch from the account settings' copy of the Hub.
      await queryClient.invalidateQueries({ queryKey: keys.settings });
    },
  });
  const apiError = save.error instanceof ApiError ? save.error : null;
  const errorsFor = (prefix: string) =>
    apiError?.errors
      .filter((e) => e.field === prefix || e.field.startsWith(`${prefix}.`))
      .map((e) => {
        const index = Number(e.field.split('.')[1]);
        const domain = Number.isInteger(index) ? form.registrationDomains[index] : undefined;
        const message = localizeFieldError(e, t);
        return domain ? `${domain}: ${message}` : message;
      })
      .join('; ') || undefined;
  const fieldsShown = apiError?.errors.length && apiError.status !== 500;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (dirty) save.mutate();
  }

  const url = settings.slug ? hubUrl(settings.slug) : null;
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {save.isError && !fieldsShown && <ErrorAlert error={save.error} />}
        <Paper withBorder radius="md" p="lg">
          <Stack gap="lg">
            <Switch
              label={t('customerHub.enabled')}
              description={t('customerHub.enabledHint')}
              checked={form.enabled}
              onChange={(event) => set('enabled', event.currentTarget.checked)}
            />
            <TextInput
              label={t('customerHub.slug')}
              description={t('customerHub.slugHint')}
              leftSection={<Text size="sm">/hub/</Text>}
              leftSectionWidth={52}
              value={form.slug}
              onChange={(event) => set('slug', event.currentTarget.value.toLowerCase())}
              error={errorsFor('slug')}
              maw={420}
            />
            {url && (
              <Group gap="xs">
                <Text size="sm" c="dimmed">
                  {t('customerHub.url')}:
                </Text>
                <Text size="sm" ff="monospace" data-testid="hub-url">
                  {url}
                </Text>
                <CopyButton value={url}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? t('customerHub.copied') : t('customerHub.copy')}>
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('customerHub.copy')}
                        onClick={copy}
                      >
                        {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              </Group>
            )}
          </Stack>
        </Paper>
        <Paper withBorder radius="md" p="lg">
          <Stack gap="md">
            <Title order={2} size="h5">
              {t('customerHub.signIn')}
            </Title>
            <Checkbox
              label={t('customerHub.passwordSignIn')}
              checked={form.passwordSignIn}
              onChange={(event) => set('passwordSignIn', event.currentTarget.checked)}
            />
            <Checkbox
              label={t('customerHub.linkSignIn')}
              checked={form.linkSignIn}
              onChange={(event) => set('linkSignIn', event.currentTarget.checked)}
            />
            <Switch
              label={t('customerHub.selfRegistration')}
              description={t('customerHub.selfRegistrationHint')}
              checked={form.selfRegistration}
              onChange={(event) => set('selfRegistration', event.currentTarget.checked)}
            />
            {form.selfRegistration && (
              <TagsInput
                label={t('customerHub.registrationDomains')}
                description={t('customerHub.registrationDomainsHint')}
                placeholder={form.registrationDomains.length ? undefined : 'example.com'}
                value={form.registrationDomains}
                onChange={(next) => set('registrationDomains', next)}
                splitChars={[',', ' ', ';']}
                acceptValueOnBlur
                clearable
                error={errorsFor('registrationDomains')}
              />
            )}
          </Stack>
        </Paper>
        <Paper withBorder radius="md" p="lg">
          <Stack gap="md">
            <Title order={2} size="h5">
              {t('customerHub.contact')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('customerHub.contactHint')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Textarea
                label={t('customerHub.messageEn')}
                autosize
                minRows={3}
                value={form.contact.en}
                onChange={(event) => setContact('en', event.currentTarget.value)}
                error={errorsFor('supportContact.message.en')}
              />
              <Textarea
                label={t('customerHub.messageNb')}
                autosize
                minRows={3}
                value={form.contact.nb}
                onChange={(event) => setContact('nb', event.currentTarget.value)}
                error={errorsFor('supportContact.message.nb')}
              />
              <TextInput
                label={t('customerHub.contactEmail')}
                type="email"
                value={form.contact.email}
                onChange={(event) => setContact('email', event.currentTarget.value)}
                error={errorsFor('supportContact.email')}
              />
              <TextInput
                label={t('customerHub.contactPhone')}
                type="tel"
                value={form.contact.phone}
                onChange={(event) => setContact('phone', event.currentTarget.value)}
                error={errorsFor('supportContact.phone')}
              />
            </SimpleGrid>
          </Stack>
        </Paper>
        {/* Beside the buttons, where the eye is after Save (a toast there would cover them). */}
        {save.isError && (
          <Alert color="red" variant="light" role="alert">
            {t('customerHub.settingsFailed')}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button
            variant="default"
            disabled={!dirty || save.isPending}
            onClick={() => setForm(saved)}
          >
            {t('admin.discard')}
          </Button>
          <Button type="submit" disabled={!dirty} loading={save.isPending}>
            {t('app.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
