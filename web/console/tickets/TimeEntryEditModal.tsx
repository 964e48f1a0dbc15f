// Editing one time entry (minutes, note) from the ticket's time panel; an edit that takes the
// contract past its hours hands the panel its confirmation (the server's 409).
import { Button, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimeEntry } from '../../../common/contract.ts';
import { ApiError } from '../../api/client.ts';
import { timeApi } from '../../api/contracts.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFieldError } from '../contracts/ContractFormModal.tsx';

/** The hours of a 409 contract_hours_exceeded, else undefined. */
export function overLimit(error: unknown): { hoursUsed: number; hoursLeft: number } | undefined {
  if (error instanceof ApiError && error.code === 'contract_hours_exceeded')
    return { hoursUsed: Number(error.extra.hoursUsed), hoursLeft: Number(error.extra.hoursLeft) };
  return undefined;
}

export function EditEntryModal(props: {
  entry: TimeEntry;
  onClose: () => void;
  onOverLimit: (over: { hoursUsed: number; hoursLeft: number }, retry: () => void) => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState<number | string>(props.entry.minutes);
  const [note, setNote] = useState(props.entry.note ?? '');
  const saveAgain = useRef<(confirm: boolean) => void>(() => undefined);
  const save = useMutation({
    mutationFn: (confirm: boolean) =>
      timeApi.update(props.entry.id, {
        minutes: Number(minutes),
        note: note || null,
        confirmOverLimit: confirm,
      }),
    onSuccess: async () => {
      props.onClose();
      await props.onSaved();
    },
    onError: (error) => {
      const over = overLimit(error);
      if (over) props.onOverLimit(over, () => saveAgain.current(true));
    },
  });
  saveAgain.current = (confirm) => save.mutate(confirm);
  const fieldError = useFieldError(save.error);
  return (
    <Modal opened onClose={props.onClose} title={<Text fw={600}>{t('time.edit')}</Text>}>
      <Stack>
        {save.isError && !overLimit(save.error) && <ErrorAlert error={save.error} />}
        <NumberInput
          label={t('time.minutesLabel')}
          min={1}
          max={1440}
          value={minutes}
          onChange={setMinutes}
          error={fieldError('minutes')}
        />
        <TextInput
          label={t('time.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          error={fieldError('note')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('app.cancel')}
          </Button>
          <Button loading={save.isPending} onClick={() => save.mutate(false)}>
            {t('time.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
