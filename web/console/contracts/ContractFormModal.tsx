// Adding or editing a contract: the seed's fields, each refusal shown under its field in the
// agent's language (server/contracts/contract.service.ts holds the rules).
import {
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contract, ContractCreate } from '../../../common/contract.ts';
import { ApiError } from '../../api/client.ts';
import { contractKeys, contractsApi } from '../../api/contracts.ts';
import { customersApi } from '../../api/kunde.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCustomerDisplayName } from '../../components/PhoneNumber.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';
import { useAgentOptions } from '../tickets/ticket-ui.tsx';

/** The first message the server gave for `field`, in the agent's language. */
export function useFieldError(error: unknown) {
  const { t } = useTranslation();
  return (field: string) => {
    if (!(error instanceof ApiError)) return undefined;
    const first = error.fieldErrorsOf(field)[0];
    return first ? localizeFieldError(first, t) : undefined;
  };
}

export function ContractFormModal({
  opened,
  onClose,
  organizationId,
  contract,
}: {
  opened: boolean;
  onClose: () => void;
  organizationId: string;
  contract?: Contract;
}) {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const queryClient = useQueryClient();
  const agents = useAgentOptions();
  const contacts = useQuery({
    queryKey: ['customers', 'list', { organizationId, status: 'active', limit: 200 }],
    queryFn: () => customersApi.list({ organizationId, status: 'active', limit: 200 }),
    enabled: opened,
  });
  const [form, setForm] = useState<ContractCreate>(() => ({
    description: contract?.description ?? '',
    purchaseOrderNumber: contract?.purchaseOrderNumber ?? '',
    customerContactId: contract?.customerContactId ?? '',
    supportContactId: contract?.supportContactId ?? '',
    supportManagerId: contract?.supportManagerId ?? null,
    startDate: contract?.startDate ?? null,
    endDate: contract?.endDate ?? null,
    hasHourRestriction: contract?.hasHourRestriction ?? false,
    contractHours: contract?.contractHours ?? null,
    hoursNotificationThreshold: contract?.hoursNotificationThreshold ?? null,
  }));
  const set = (patch: Partial<ContractCreate>) => setForm((current) => ({ ...current, ...patch }));
  const save = useMutation({
    mutationFn: () => {
      const body: ContractCreate = {
        ...form,
        ...(form.hasHourRestriction
          ? {}
          : { contractHours: null, hoursNotificationThreshold: null }),
      };
      return contract
        ? contractsApi.update(contract.id, body)
        : contractsApi.create(organizationId, body);
    },
    onSuccess: async (saved) => {
      notifications.show({
        color: 'green',
        message: t(contract ? 'contracts.saved' : 'contracts.created', { name: saved.description }),
      });
      onClose();
      await queryClient.invalidateQueries({ queryKey: contractKeys.all });
    },
  });
  const fieldError = useFieldError(save.error);
  const contactOptions = (contacts.data?.items ?? []).map((c) => ({
    value: c.id,
    label: displayName(c) || c.id,
  }));
  const number = (value: string | number) => (typeof value === 'number' ? value : null);

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="lg"
      title={<Text fw={600}>{t(contract ? 'contracts.titleEdit' : 'contracts.titleNew')}</Text>}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          {save.isError && <ErrorAlert error={save.error} />}
          <TextInput
            label={t('contracts.description')}
            required
            value={form.description}
            onChange={(e) => set({ description: e.currentTarget.value })}
            error={fieldError('description')}
          />
          <TextInput
            label={t('contracts.purchaseOrderNumber')}
            value={form.purchaseOrderNumber ?? ''}
            onChange={(e) => set({ purchaseOrderNumber: e.currentTarget.value })}
            error={fieldError('purchaseOrderNumber')}
          />
          <Select
            label={t('contracts.customerContact')}
            description={t('contracts.customerContactHint')}
            required
            searchable
            data={contactOptions}
            value={form.customerContactId || null}
            onChange={(value) => set({ customerContactId: value ?? '' })}
            error={fieldError('customerContactId')}
          />
          <Group grow>
            <Select
              label={t('contracts.supportContact')}
              required
              searchable
              data={agents}
              value={form.supportContactId || null}
              onChange={(value) => set({ supportContactId: value ?? '' })}
              error={fieldError('supportContactId')}
            />
            <Select
              label={t('contracts.supportManager')}
              clearable
              searchable
              data={agents}
              value={form.supportManagerId ?? null}
              onChange={(value) => set({ supportManagerId: value })}
              error={fieldError('supportManagerId')}
            />
          </Group>
          <Group grow>
            <TextInput
              type="date"
              label={t('contracts.startDate')}
              value={form.startDate ?? ''}
              onChange={(e) => set({ startDate: e.currentTarget.value || null })}
              error={fieldError('startDate')}
            />
            <TextInput
              type="date"
              label={t('contracts.endDate')}
              value={form.endDate ?? ''}
              onChange={(e) => set({ endDate: e.currentTarget.value || null })}
              error={fieldError('endDate')}
            />
          </Group>
          <Checkbox
            label={t('contracts.hasHourRestriction')}
            checked={form.hasHourRestriction ?? false}
            onChange={(e) => set({ hasHourRestriction: e.currentTarget.checked })}
          />
          {form.hasHourRestriction && (
            <Group grow>
              <NumberInput
                label={t('contracts.contractHours')}
                min={0}
                decimalScale={2}
                value={form.contractHours ?? ''}
                onChange={(value) => set({ contractHours: number(value) })}
                error={fieldError('contractHours')}
              />
              <NumberInput
                label={t('contracts.threshold')}
                description={t('contracts.thresholdHint')}
                min={0}
                decimalScale={2}
                value={form.hoursNotificationThreshold ?? ''}
                onChange={(value) => set({ hoursNotificationThreshold: number(value) })}
                error={fieldError('hoursNotificationThreshold')}
              />
            </Group>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={save.isPending}>
              {t('app.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t(contract ? 'contracts.save' : 'contracts.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
