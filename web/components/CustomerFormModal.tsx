// The New Customer / Edit customer form in a modal. Creates with POST, edits with PATCH carrying
// the version it started from; the server's field errors land under the matching inputs.
import { Anchor, Button, Group, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  customerDisplayName,
  type Customer,
  type CustomerCreate,
  type CustomerUpdate,
} from '../../common/customer.ts';
import { ApiError } from '../api/client.ts';
import { customersApi, keys } from '../api/kunde.ts';
import {
  attributesFromRows,
  CustomAttributesEditor,
  rowProblems,
  rowsFromAttributes,
  type AttributeRow,
} from './CustomAttributesEditor.tsx';
import { localizeServerMessage } from '../i18n/server-messages.ts';
import { ErrorAlert } from './ErrorAlert.tsx';

type TextField = 'firstName' | 'lastName' | 'email' | 'phone';
const TEXT_FIELDS: TextField[] = ['firstName', 'lastName', 'email', 'phone'];
type Values = Record<TextField, string>;

function initialValues(customer?: Customer): Values {
  return {
    firstName: customer?.firstName ?? '',
    lastName: customer?.lastName ?? '',
    email: customer?.email ?? '',
    phone: customer?.phone ?? '',
  };
}

function sameAttributes(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keysA = Object.keys(a);
  return keysA.length === Object.keys(b).length && keysA.every((key) => Object.is(a[key], b[key]));
}

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
      <CustomerForm customer={customer} onClose={onClose} onSaved={onSaved} />
    </Modal>
  );
}

function CustomerForm({ customer, onClose, onSaved }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>(() => initialValues(customer));
  const [rows, setRows] = useState<AttributeRow[]>(() =>
    rowsFromAttributes(customer?.customAttributes ?? {}),
  );
  const [checked, setChecked] = useState(false);
  const problems = useMemo(() => rowProblems(rows), [rows]);

  const save = useMutation({
    mutationFn: async (): Promise<Customer> => {
      if (!customer) {
        const body: CustomerCreate = { customAttributes: attributesFromRows(rows) };
        for (const field of TEXT_FIELDS) {
          const value = values[field].trim();
          if (value) body[field] = value;
        }
        return customersApi.create(body);
      }
      const body: CustomerUpdate = { version: customer.version };
      for (const field of TEXT_FIELDS) {
        const value = values[field].trim();
        if (value !== (customer[field] ?? '')) body[field] = value || null;
      }
      const attributes = attributesFromRows(rows);
      if (!sameAttributes(attributes, customer.customAttributes)) {
        body.customAttributes = attributes;
      }
      // Nothing changed: no request, no empty entry in the audit trail.
      if (Object.keys(body).length === 1) return customer;
      return customersApi.update(customer.id, body);
    },
    onSuccess: async (saved) => {
      queryClient.setQueryData(keys.customer(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: keys.customers });
      notifications.show({
        color: 'green',
        message: customer
          ? t('form.saved')
          : t('form.created', { name: customerDisplayName(saved) }),
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
      ?.fieldMessages(field)
      .map((message) => localizeServerMessage(message, t))
      .join('; ') || undefined;
  const noIdentity = checked && !values.email.trim() && !values.phone.trim();

  // A 409 on an identity names the customer who already has it.
  const existingId = apiError?.extra['existingCustomerId'];
  const takenField =
    apiError?.code === 'customer_email_taken'
      ? 'email'
      : apiError?.code === 'customer_phone_taken'
        ? 'phone'
        : null;
  const takenMessage: ReactNode = takenField && (
    <>
      {t(takenField === 'email' ? 'form.emailTaken' : 'form.phoneTaken')}{' '}
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

  const rowErrors = new Map<number, string>();
  for (const row of rows) {
    const problem = checked ? problems.get(row.id) : undefined;
    const message = problem
      ? t(problem === 'duplicate' ? 'form.attributeDuplicate' : 'form.attributeNameRequired')
      : serverFieldError(`customAttributes.${row.key.trim()}`);
    if (message) rowErrors.set(row.id, message);
  }

  // Errors for fields this form does not show still need to be seen.
  const shownFields = new Set<string>([
    ...TEXT_FIELDS,
    'customAttributes',
    ...rows.map((row) => `customAttributes.${row.key.trim()}`),
  ]);
  const otherErrors = apiError?.errors.filter((e) => !shownFields.has(e.field)) ?? [];
  const showGeneralAlert =
    save.isError &&
    !takenField &&
    !(apiError?.status === 422 && apiError.errors.length > 0 && otherErrors.length === 0);

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (problems.size > 0 || (!values.email.trim() && !values.phone.trim())) return;
    save.mutate();
  }

  const input = (field: TextField) => ({
    value: values[field],
    error: fieldError(field),
    disabled: save.isPending,
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      const value = event.currentTarget.value;
      setValues((current) => ({ ...current, [field]: value }));
    },
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {showGeneralAlert && (
          <ErrorAlert error={save.error}>
            {otherErrors.map((e) => (
              <Text key={e.field} size="sm">
                {e.field}: {e.message}
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
        </SimpleGrid>
        <Text size="xs" c="dimmed" mt={-6}>
          {t('form.identityHint')}
        </Text>
        <CustomAttributesEditor
          rows={rows}
          onChange={setRows}
          errors={rowErrors}
          generalError={serverFieldError('customAttributes')}
          disabled={save.isPending}
        />
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
