// The New Customer / Edit customer form in a modal. Creates with POST, edits with PATCH carrying
// the version it started from; the server's field errors land under the matching inputs.
import {
  Anchor,
  Button,
  Divider,
  Group,
  Loader,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CustomField } from '../../common/custom-field.ts';
import { type Customer } from '../../common/customer.ts';
import { useAccountSettings, useCustomerTypes, useCustomFields } from '../api/account-data.ts';
import { ApiError } from '../api/client.ts';
import { customersApi, keys } from '../api/kunde.ts';
import { localizeFieldError } from '../i18n/server-messages.ts';
import { CustomAttributesEditor, rowProblems } from './CustomAttributesEditor.tsx';
import { CustomFieldInputs } from './CustomFieldInputs.tsx';
import {
  createBody,
  IDENTITY_LIST_FIELDS,
  initialFormState,
  TEXT_FIELDS,
  updateBody,
  type CustomerFormState,
  type IdentityListField,
  type TextField,
} from './customer-form-state.ts';
import { ErrorAlert } from './ErrorAlert.tsx';
import { OrganizationSelect } from './OrganizationSelect.tsx';
import { useCustomerDisplayName } from './PhoneNumber.tsx';

interface Props {
  opened: boolean;
  onClose: () => void;
  /** The customer to edit; without it the form creates a new one. */
  customer?: Customer;
  onSaved?: (customer: Customer) => void;
}

export function CustomerFormModal({ opened, onClose, customer, onSaved }: Props) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={600}>{customer ? t('form.titleEdit') : t('form.titleNew')}</Text>}
      size="lg"
    >
      <CustomerFormLoader customer={customer} onClose={onClose} onSaved={onSaved} />
    </Modal>
  );
}

/** The form needs the account's fields and settings before it can lay itself out. */
function CustomerFormLoader(props: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const fields = useCustomFields('customer');
  const settings = useAccountSettings();
  const error = fields.error ?? settings.error;
  if (error) return <ErrorAlert error={error} />;
  if (!fields.data || !settings.data) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  return (
    <CustomerForm
      {...props}
      fields={fields.data}
      allowFreeform={settings.data.allowFreeformAttributes}
      hubEnabled={settings.data.hub.enabled}
    />
  );
}

function CustomerForm({
  customer,
  onClose,
  onSaved,
  fields,
  allowFreeform,
  hubEnabled,
}: Omit<Props, 'opened'> & { fields: CustomField[]; allowFreeform: boolean; hubEnabled: boolean }) {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const queryClient = useQueryClient();
  const types = useCustomerTypes();
  const [state, setState] = useState<CustomerFormState>(() => initialFormState(fields, customer));
  const [checked, setChecked] = useState(false);
  const problems = useMemo(() => rowProblems(state.rows), [state.rows]);
  const patch = (next: Partial<CustomerFormState>) => setState((s) => ({ ...s, ...next }));

  const save = useMutation({
    mutationFn: async (): Promise<Customer> => {
      if (!customer) return customersApi.create(createBody(state));
      const body = updateBody(state, customer);
      // Nothing changed: no request, no empty entry in the audit trail.
      if (Object.keys(body).length === 1) return customer;
      return customersApi.update(customer.id, body);
    },
    onSuccess: async (saved) => {
      queryClient.setQueryData(keys.customer(saved.id), saved);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.customers }),
        queryClient.invalidateQueries({ queryKey: keys.organizations }),
      ]);
      notifications.show({
        color: 'green',
        message: customer
          ? t('form.saved')
          : saved.organizationName
            ? t('form.createdIn', {
                name: displayName(saved),
                organization: saved.organizationName,
              })
            : t('form.created', { name: displayName(saved) }),
      });
      onSaved?.(saved);
      onClose();
    },
    onError: async (error) => {
      if (customer && error instanceof ApiError && error.code === 'version_conflict') {
        await queryClient.invalidateQueries({ queryKey: keys.customers });
        notifications.show({
          color: 'orange',
          autoClose: 10000,
          message: t('form.versionConflict'),
        });
        onClose();
      }
    },
  });

  const apiError = save.error instanceof ApiError ? save.error : null;
  const serverFieldError = (field: string) =>
    apiError
      ?.fieldErrorsOf(field)
      .map((message) => localizeFieldError(message, t))
      .join('; ') || undefined;
  const noIdentity = checked && !state.text.email.trim() && !state.text.phone.trim();

  // A 409 on an identity names the customer who already has it, and the field (`email`, or an
  // item such as `additionalEmails.1`) that holds it.
  const existingId = apiError?.extra['existingCustomerId'];
  const takenKind =
    apiError?.code === 'customer_email_taken'
      ? 'email'
      : apiError?.code === 'customer_phone_taken'
        ? 'phone'
        : null;
  const takenAt = takenKind
    ? (apiError?.errors.find((e) => e.code === 'already_used')?.field ?? takenKind)
    : null;
  const takenField = takenAt?.split('.')[0] ?? null;
  const takenMessage: ReactNode = takenKind && (
    <>
      {takenField !== takenKind && itemValue(takenAt) && `${itemValue(takenAt)}: `}
      {t(takenKind === 'email' ? 'form.emailTaken' : 'form.phoneTaken')}{' '}
      {typeof existingId === 'string' && (
        <Anchor component={Link} to={`/customers/${existingId}`} size="xs" onClick={onClose}>
          {t('form.openExisting')}
        </Anchor>
      )}
    </>
  );
  const fieldError = (field: TextField): ReactNode =>
    (field === 'email' && noIdentity ? t('validation.emailOrPhone') : null) ??
    (takenField === field ? takenMessage : null) ??
    serverFieldError(field);

  /** The address or number an item error such as `additionalEmails.2` is about. */
  function itemValue(at: string | null | undefined): string | undefined {
    const [field, index] = (at ?? '').split('.');
    if (!index || !IDENTITY_LIST_FIELDS.includes(field as IdentityListField)) return undefined;
    return state.lists[field as IdentityListField][Number(index)];
  }
  const isListError = (field: IdentityListField, at: string) =>
    at === field || at.startsWith(`${field}.`);
  // The errors of the whole set and of each item, the item named when the message does not.
  const listError = (field: IdentityListField): ReactNode => {
    if (takenField === field) return takenMessage;
    const messages = (apiError?.errors ?? [])
      .filter((e) => isListError(field, e.field))
      .map((e) => {
        const message = localizeFieldError(e, t);
        const value = itemValue(e.field);
        return value && !message.includes(value) ? `${value}: ${message}` : message;
      });
    return messages.join('; ') || undefined;
  };

  const rowErrors = new Map<number, string>();
  for (const row of state.rows) {
    const problem = checked ? problems.get(row.id) : undefined;
    const message = problem
      ? t(problem === 'duplicate' ? 'form.attributeDuplicate' : 'form.attributeNameRequired')
      : serverFieldError(`customAttributes.${row.key.trim()}`);
    if (message) rowErrors.set(row.id, message);
  }

  // Errors for fields this form does not show still need to be seen.
  const shownFields = new Set<string>([
    ...TEXT_FIELDS,
    'organizationId',
    'typeId',
    'customAttributes',
    'hubAccess',
    ...fields.map((field) => `customAttributes.${field.key}`),
    ...state.rows.map((row) => `customAttributes.${row.key.trim()}`),
  ]);
  const otherErrors =
    apiError?.errors.filter(
      (e) =>
        !shownFields.has(e.field) &&
        !IDENTITY_LIST_FIELDS.some((field) => isListError(field, e.field)),
    ) ?? [];
  const showGeneralAlert =
    save.isError &&
    !takenField &&
    !(apiError?.status === 422 && apiError.errors.length > 0 && otherErrors.length === 0);

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (problems.size > 0 || (!state.text.email.trim() && !state.text.phone.trim())) return;
    save.mutate();
  }

  const input = (field: TextField) => ({
    value: state.text[field],
    error: fieldError(field),
    disabled: save.isPending,
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      const value = event.currentTarget.value;
      setState((s) => ({ ...s, text: { ...s.text, [field]: value } }));
    },
  });
  const list = (field: IdentityListField) => ({
    value: state.lists[field],
    error: listError(field),
    disabled: save.isPending,
    clearable: true,
    // A space may sit inside a phone number, never inside an email address.
    splitChars: field === 'additionalEmails' ? [',', ';', ' '] : [',', ';'],
    onChange: (values: string[]) =>
      setState((s) => ({ ...s, lists: { ...s.lists, [field]: values } })),
  });
  const typeOptions = (types.data ?? []).map((type) => ({ value: type.id, label: type.name }));
  const showFreeform = allowFreeform || state.rows.length > 0;

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {showGeneralAlert && (
          <ErrorAlert error={save.error}>
            {otherErrors.map((e) => (
              <Text key={e.field} size="sm">
                {e.field}: {localizeFieldError(e, t)}
              </Text>
            ))}
          </ErrorAlert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('form.firstName')}
            autoComplete="off"
            data-autofocus
            {...input('firstName')}
          />
          <TextInput label={t('form.lastName')} autoComplete="off" {...input('lastName')} />
          <TextInput label={t('form.email')} type="email" autoComplete="off" {...input('email')} />
          <TextInput
            label={t('form.phone')}
            type="tel"
            autoComplete="off"
            description={t('form.phoneHint')}
            inputWrapperOrder={['label', 'input', 'error', 'description']}
            {...input('phone')}
          />
          <TagsInput
            label={t('form.additionalEmails')}
            description={t('form.additionalHint')}
            inputWrapperOrder={['label', 'input', 'error', 'description']}
            {...list('additionalEmails')}
          />
          <TagsInput
            label={t('form.additionalPhones')}
            description={t('form.additionalHint')}
            inputWrapperOrder={['label', 'input', 'error', 'description']}
            {...list('additionalPhones')}
          />
        </SimpleGrid>
        <Text size="xs" c="dimmed" mt={-6}>
          {t('form.identityHint')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: typeOptions.length > 0 ? 2 : 1 }}>
          <OrganizationSelect
            label={t('form.organization')}
            value={state.organization}
            valueName={customer?.organizationName}
            onChange={(organization) => patch({ organization })}
            withNone
            clearable={!customer}
            placeholder={customer ? undefined : t('form.organizationByDomain')}
            description={customer ? undefined : t('form.organizationHint')}
            inputWrapperOrder={['label', 'input', 'error', 'description']}
            error={serverFieldError('organizationId')}
            disabled={save.isPending}
          />
          {typeOptions.length > 0 && (
            <Select
              label={t('form.type')}
              data={typeOptions}
              value={state.typeId}
              onChange={(typeId) => patch({ typeId })}
              placeholder={t('form.noType')}
              clearable
              error={serverFieldError('typeId')}
              disabled={save.isPending}
            />
          )}
        </SimpleGrid>
        {fields.length > 0 && <Divider label={t('form.customFields')} labelPosition="left" />}
        <CustomFieldInputs
          fields={fields}
          values={state.fields}
          onChange={(values) => patch({ fields: values })}
          errorFor={(key) => serverFieldError(`customAttributes.${key}`)}
          disabled={save.isPending}
        />
        {showFreeform && (
          <CustomAttributesEditor
            rows={state.rows}
            onChange={(rows) => patch({ rows })}
            errors={rowErrors}
            generalError={serverFieldError('customAttributes')}
            disabled={save.isPending}
            canAdd={allowFreeform}
          />
        )}
        {hubEnabled && (
          <Switch
            label={t('customerHub.access')}
            description={t('customerHub.accessHint')}
            checked={state.hubAccess}
            onChange={(event) => patch({ hubAccess: event.currentTarget.checked })}
            error={serverFieldError('hubAccess')}
            disabled={save.isPending}
          />
        )}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} disabled={save.isPending}>
            {t('app.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('app.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
