// The choices of a dropdown or multi-select field: one row each, renamed in place, reordered with
// up/down, removed, and added with Enter or the button.
import { ActionIcon, Button, Group, Input, Stack, TextInput, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  options: string[];
  onChange: (options: string[]) => void;
  error?: string;
  disabled?: boolean;
}

export function OptionsEditor({ options, onChange, error, disabled }: Props) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const duplicate = (value: string, except?: number) =>
    options.some(
      (option, index) => index !== except && option.trim().toLowerCase() === value.toLowerCase(),
    );

  function add() {
    const value = draft.trim();
    if (!value || duplicate(value)) return;
    onChange([...options, value]);
    setDraft('');
  }

  function swap(index: number, other: number) {
    const next = [...options];
    const a = next[index];
    const b = next[other];
    if (a === undefined || b === undefined) return;
    next[index] = b;
    next[other] = a;
    onChange(next);
  }

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      add();
    }
  };

  return (
    <Input.Wrapper label={t('admin.fields.options')} required error={error}>
      <Stack gap={6} mt={6}>
        {options.map((option, index) => (
          <Group key={index} gap={6} wrap="nowrap">
            <TextInput
              aria-label={t('admin.fields.option', { number: index + 1 })}
              value={option}
              onChange={(event) =>
                onChange(options.map((o, i) => (i === index ? event.currentTarget.value : o)))
              }
              error={
                duplicate(option.trim(), index) ? t('admin.fields.optionDuplicate') : undefined
              }
              disabled={disabled}
              style={{ flex: 1 }}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={t('admin.moveUp', { name: option })}
              disabled={disabled || index === 0}
              onClick={() => swap(index, index - 1)}
            >
              <IconArrowUp size={16} />
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={t('admin.moveDown', { name: option })}
              disabled={disabled || index === options.length - 1}
              onClick={() => swap(index, index + 1)}
            >
              <IconArrowDown size={16} />
            </ActionIcon>
            <Tooltip label={t('admin.remove', { name: option })}>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('admin.remove', { name: option })}
                disabled={disabled}
                onClick={() => onChange(options.filter((_, i) => i !== index))}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        ))}
        <Group gap={6} wrap="nowrap">
          <TextInput
            aria-label={t('admin.fields.newOption')}
            placeholder={t('admin.fields.newOption')}
            value={draft}
            onChange={(event) => setDraft(event.currentTarget.value)}
            onKeyDown={onKeyDown}
            error={
              draft.trim() && duplicate(draft.trim())
                ? t('admin.fields.optionDuplicate')
                : undefined
            }
            disabled={disabled}
            style={{ flex: 1 }}
          />
          <Button
            variant="light"
            leftSection={<IconPlus size={14} />}
            onClick={add}
            disabled={disabled || !draft.trim()}
          >
            {t('admin.fields.addOption')}
          </Button>
        </Group>
      </Stack>
    </Input.Wrapper>
  );
}
