// New organization / Edit organization: name, email domains (when creating; afterwards on the
// organization's page, where existing customers can be grouped), notes and custom fields.
import {
  Button,
  Divider,
  Group,
  Loader,
  Modal,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../../common/custom-field.ts';
import type { Organization, OrganizationCreate } from '../../../common/organization.ts';
import { useCustomFields } from '../../api/account-data.ts';
import { ApiError } from '../../api/client.ts';
import { keys, organizationsApi } from '../../api/kunde.ts';
import {
  CustomFieldInputs,
  filledValues,
  type FieldValues,
} from '../../components/CustomFieldInputs.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';

interface Props {
  opened: boolean;
  onClose: () => void;
  /** The organization to edit; without it the form creates one. */
  organization?: Organization;
  onSaved?: (organization: Organization) => void;
}

export function OrganizationFormModal({ opened, onClose, organization, onSaved }: Props) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="lg"
      title={
        <Text fw={600}>
          {organization ? t('organizations.titleEdit') : t('organizations.titleNew')}
        </Text>
      }
    >
      <FormLoader organization={organization} onClose={onClose} onSaved={onSaved} />
    </Modal>
  );
}

function FormLoader(props: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const fields = useCustomFields('organization');
  if (fields.isError) return <ErrorAlert error={fields.error} />;
  if (!fields.data) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  return <OrganizationForm {...props} fields={fields.data} />;
}

function OrganizationForm({
  organization,
  onClose,
  onSaved,
  fields,
}: Omit<Props, 'opened'> & { fields: CustomField[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState(organization?.name ?? '');
  const [domains, setDomains] = useState<string[]>([]);
  const [notes, setNotes] = useState(organization?.notes ?? '');
  const [values, setValues] = useState<FieldValues>(organization?.customFields ?? {});

  const save = useMutation({
    mutationFn: () => {
      const customFields = filledValues(values);
      if (organization) {
        return organizationsApi.update(organization.id, {
          name: name.trim(),
          notes: notes.trim() || null,
          customFields,
        });
      }
      const body: OrganizationCreate = { name: name.trim(), customFields };
      if (domains.length) body.domains = domains;
      if (notes.trim()) body.notes = notes.trim();
      return organizationsApi.create(body);
    },
    onSuccess: async (saved) => {
      queryClient.setQueryData(keys.organization(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: keys.organizations });
      notifications.show({
        color: 'green',
        message: organization ? t('form.saved') : t('organizations.created', { name: saved.name }),
      });
      onSaved?.(saved);
      onClose();
    },
  });

  const apiError = save.error instanceof ApiError ? save.error : null;
  const messages = (field: string) =>
    apiError
      ?.fieldErrorsOf(field)
      .map((message) => localizeFieldError(message, t))
      .join('; ') || undefined;
  const domainErrors =
    apiError?.code === 'domain_taken'
      ? t('organizations.domainTakenGeneric')
      : apiError?.errors
          .filter((e) => e.field.startsWith('domains'))
          .map((e) => localizeFieldError(e, t))
          .join('; ') || undefined;
  const shown = (field: string) =>
    field === 'name' ||
    field === 'notes' ||
    field.startsWith('domains') ||
    field.startsWith('customFields.');
  const showAlert =
    save.isError &&
    apiError?.code !== 'domain_taken' &&
    !(apiError && apiError.errors.length > 0 && apiError.errors.every((e) => shown(e.field)));

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {showAlert && <ErrorAlert error={save.error} />}
        <TextInput
          label={t('organizations.name')}
          required
          data-autofocus
          autoComplete="off"
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={
            apiError?.code === 'organization_name_taken'
              ? t('organizations.nameTaken')
              : messages('name')
          }
          disabled={save.isPending}
        />
        {!organization && (
          <TagsInput
            label={t('organizations.domains')}
            description={t('organizations.domainsHint')}
            inputWrapperOrder={['label', 'input', 'error', 'description']}
            placeholder={domains.length ? undefined : 'example.com'}
            value={domains}
            onChange={setDomains}
            splitChars={[',', ' ', ';']}
            acceptValueOnBlur
            clearable
            error={domainErrors}
            disabled={save.isPending}
          />
        )}
        <Textarea
          label={t('organizations.notes')}
          autosize
          minRows={2}
          maxRows={8}
          value={notes}
          onChange={(event) => setNotes(event.currentTarget.value)}
          error={messages('notes')}
          disabled={save.isPending}
        />
        {fields.length > 0 && <Divider label={t('form.customFields')} labelPosition="left" />}
        <CustomFieldInputs
          fields={fields}
          values={values}
          onChange={setValues}
          errorFor={(key) => messages(`customFields.${key}`)}
          disabled={save.isPending}
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} disabled={save.isPending}>
            {t('app.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {organization ? t('app.save') : t('organizations.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
