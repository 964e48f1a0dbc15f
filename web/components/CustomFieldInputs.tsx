// Inputs for an account's custom fields, one per field type, labelled in the agent's language,
// with required marks and the server's error under each field.
import {
  Checkbox,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Textarea,
  TextInput,
} from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomField, CustomFieldValue } from '../../common/custom-field.ts';
import { fieldLabel } from '../api/account-data.ts';
import { currentLocale } from '../i18n/index.ts';

export type FieldValues = Record<string, CustomFieldValue>;

interface InputProps {
  field: CustomField;
  value: CustomFieldValue | undefined;
  onChange: (value: CustomFieldValue) => void;
  error?: ReactNode;
  disabled?: boolean;
}

const asText = (value: CustomFieldValue | undefined): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

const asList = (value: CustomFieldValue | undefined): string[] =>
  Array.isArray(value) ? value : typeof value === 'string' && value ? [value] : [];

export function CustomFieldInput({ field, value, onChange, error, disabled }: InputProps) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const common = {
    label: fieldLabel(field, locale),
    required: field.required,
    error,
    disabled,
    'data-field-key': field.key,
  };
  const text = (event: { currentTarget: { value: string } }) => onChange(event.currentTarget.value);

  switch (field.type) {
    case 'multiline':
      return (
        <Textarea
          {...common}
          autosize
          minRows={2}
          maxRows={8}
          value={asText(value)}
          onChange={text}
        />
      );
    case 'number':
    case 'decimal':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' ? value : asText(value)}
          onChange={(next) => onChange(next === '' ? null : next)}
          allowDecimal={field.type === 'decimal'}
          decimalSeparator={locale === 'nb' ? ',' : '.'}
          hideControls
        />
      );
    case 'date':
      return <TextInput {...common} type="date" value={asText(value)} onChange={text} />;
    case 'checkbox':
      return (
        <Checkbox
          {...common}
          checked={value === true}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
      );
    case 'dropdown':
      return (
        <Select
          {...common}
          data={field.options}
          value={asText(value) || null}
          onChange={(next) => onChange(next)}
          placeholder={t('fields.choose')}
          clearable={!field.required}
          searchable={field.options.length > 8}
          nothingFoundMessage={t('fields.noOptions')}
        />
      );
    case 'multiselect':
      return (
        <MultiSelect
          {...common}
          data={field.options}
          value={asList(value)}
          onChange={(next) => onChange(next)}
          placeholder={asList(value).length ? undefined : t('fields.choose')}
          clearable
          searchable={field.options.length > 8}
        />
      );
    case 'email':
      return <TextInput {...common} type="email" value={asText(value)} onChange={text} />;
    case 'url':
      return (
        <TextInput
          {...common}
          type="url"
          placeholder="https://"
          value={asText(value)}
          onChange={text}
        />
      );
    case 'phone':
      return <TextInput {...common} type="tel" value={asText(value)} onChange={text} />;
    case 'regex':
      return (
        <TextInput
          {...common}
          description={
            field.pattern ? t('fields.patternHint', { pattern: field.pattern }) : undefined
          }
          inputWrapperOrder={['label', 'input', 'error', 'description']}
          value={asText(value)}
          onChange={text}
        />
      );
    case 'text':
      return <TextInput {...common} value={asText(value)} onChange={text} />;
  }
}

/** Long inputs take a whole row; a checkbox sits level with the inputs beside it. */
function cellStyle(field: CustomField): CSSProperties | undefined {
  if (field.type === 'multiline' || field.type === 'multiselect') return { gridColumn: '1 / -1' };
  if (field.type === 'checkbox') {
    return { display: 'flex', alignItems: 'flex-end', paddingBottom: 'var(--mantine-spacing-xs)' };
  }
  return undefined;
}

interface Props {
  fields: CustomField[];
  values: FieldValues;
  onChange: (values: FieldValues) => void;
  /** The message for `<prefix>.<key>` (`customAttributes.tier`), if any. */
  errorFor: (key: string) => ReactNode;
  disabled?: boolean;
}

export function CustomFieldInputs({ fields, values, onChange, errorFor, disabled }: Props) {
  if (fields.length === 0) return null;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      {fields.map((field) => (
        <div key={field.id} style={cellStyle(field)}>
          <CustomFieldInput
            field={field}
            value={values[field.key]}
            onChange={(value) => onChange({ ...values, [field.key]: value })}
            error={errorFor(field.key)}
            disabled={disabled}
          />
        </div>
      ))}
    </SimpleGrid>
  );
}

/** Values worth sending: empty ones are left out, so a cleared field is removed. */
export function filledValues(values: FieldValues): FieldValues {
  const out: FieldValues = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = typeof value === 'string' ? value.trim() : value;
  }
  return out;
}
