// New / Edit custom field: for customers or organizations, a label (and a Norwegian one), a key
// (fixed once created, as are the entity and type), required, options or a pattern.
import {
  Button,
  Group,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CUSTOM_FIELD_TYPES,
  type CustomField,
  type CustomFieldType,
} from '../../../common/custom-field.ts';
import { ApiError } from '../../api/client.ts';
import { customFieldsApi, keys, type CustomFieldEntity } from '../../api/kunde.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';
import { OptionsEditor } from './OptionsEditor.tsx';

/** "Customer tier" → "customer_tier": what the key would be, while the admin has not typed one. */
export function keyFromLabel(label: string): string {
  const key = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 63);
  return key;
}

const hasOptions = (type: CustomFieldType) => type === 'dropdown' || type === 'multiselect';

interface Props {
  opened: boolean;
  onClose: () => void;
  entity: CustomFieldEntity;
  field?: CustomField;
}

export function CustomFieldFormModal({ opened, onClose, entity, field }: Props) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="lg"
      title={
        <Text fw={600}>{field ? t('admin.fields.titleEdit') : t('admin.fields.titleNew')}</Text>
      }
    >
      <FieldForm entity={entity} field={field} onClose={onClose} />
    </Modal>
  );
}

function FieldForm({ entity: initialEntity, field, onClose }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [entity, setEntity] = useState<CustomFieldEntity>(field?.entity ?? initialEntity);
  const [label, setLabel] = useState(field?.label ?? '');
  const [labelNb, setLabelNb] = useState(field?.labelNb ?? '');
  const [key, setKey] = useState<string | null>(field?.key ?? null);
  const [type, setType] = useState<CustomFieldType>(field?.type ?? 'text');
  const [required, setRequired] = useState(field?.required ?? false);
  const [options, setOptions] = useState<string[]>(field?.options ?? []);
  const [pattern, setPattern] = useState(field?.pattern ?? '');
  const shownKey = key ?? keyFromLabel(label);

  const save = useMutation({
    mutationFn: () => {
      const common = {
        label: label.trim(),
        labelNb: labelNb.trim() || null,
        required,
        options: hasOptions(type) ? options.map((o) => o.trim()).filter(Boolean) : [],
        pattern: type === 'regex' ? pattern : null,
      };
      return field
        ? customFieldsApi.update(field.id, common)
        : customFieldsApi.create({ ...common, entity, key: shownKey, type });
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: keys.customFields });
      notifications.show({
        color: 'green',
        message: field ? t('form.saved') : t('admin.fields.created', { label: saved.label }),
      });
      onClose();
    },
  });

  const apiError = save.error instanceof ApiError ? save.error : null;
  const messages = (name: string) =>
    apiError
      ?.fieldErrorsOf(name)
      .map((message) => localizeFieldError(message, t))
      .join('; ') || undefined;
  const known = ['entity', 'key', 'label', 'labelNb', 'type', 'options', 'pattern'];
  const showAlert =
    save.isError &&
    apiError?.code !== 'custom_field_key_taken' &&
    !(
      apiError?.errors.length &&
      apiError.errors.every((e) => known.includes(e.field.split('.')[0] ?? ''))
    );

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  const typeOptions = CUSTOM_FIELD_TYPES.map((value) => ({
    value,
    label: t(`admin.fields.types.${value}`),
  }));

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {showAlert && <ErrorAlert error={save.error} />}
        {!field && (
          <SegmentedControl
            aria-label={t('admin.fields.entity')}
            value={entity}
            onChange={(value) => setEntity(value)}
            data={[
              { value: 'customer', label: t('admin.fields.forCustomers') },
              { value: 'organization', label: t('admin.fields.forOrganizations') },
            ]}
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('admin.fields.label')}
            required
            data-autofocus
            value={label}
            onChange={(event) => setLabel(event.currentTarget.value)}
            error={messages('label')}
          />
          <TextInput
            label={t('admin.fields.labelNb')}
            description={t('admin.fields.labelNbHint')}
            inputWrapperOrder={['label', 'input', 'error', 'description']}
            value={labelNb}
            onChange={(event) => setLabelNb(event.currentTarget.value)}
            error={messages('labelNb')}
          />
          <TextInput
            label={t('admin.fields.key')}
            description={field ? t('admin.fields.keyFixed') : t('admin.fields.keyHint')}
            inputWrapperOrder={['label', 'input', 'error', 'description']}
            required
            value={shownKey}
            onChange={(event) => setKey(event.currentTarget.value)}
            disabled={Boolean(field)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            error={
              apiError?.code === 'custom_field_key_taken'
                ? t('admin.fields.keyTaken')
                : messages('key')
            }
          />
          <Select
            label={t('admin.fields.type')}
            data={typeOptions}
            value={type}
            onChange={(value) => value && setType(value)}
            allowDeselect={false}
            disabled={Boolean(field)}
            description={field ? t('admin.fields.typeFixed') : undefined}
            inputWrapperOrder={['label', 'input', 'error', 'description']}
            error={messages('type')}
          />
        </SimpleGrid>
        {hasOptions(type) && (
          <OptionsEditor options={options} onChange={setOptions} error={messages('options')} />
        )}
        {type === 'regex' && (
          <TextInput
            label={t('admin.fields.pattern')}
            description={t('admin.fields.patternHint')}
            inputWrapperOrder={['label', 'input', 'error', 'description']}
            required
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            placeholder="[A-Z]{2}-\d{4}"
            value={pattern}
            onChange={(event) => setPattern(event.currentTarget.value)}
            error={messages('pattern')}
          />
        )}
        <Switch
          label={t('admin.fields.required')}
          description={t('admin.fields.requiredHint')}
          checked={required}
          onChange={(event) => setRequired(event.currentTarget.checked)}
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} disabled={save.isPending}>
            {t('app.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {field ? t('app.save') : t('admin.fields.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
