// One row of the customer list: select, name, email, phone, organization, type, attributes and
// actions; the whole row can be dragged onto an organization when the agent may edit.
import { Anchor, Button, Checkbox, Group, Table, Text } from '@mantine/core';
import type { DragEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  customerDisplayName,
  type Customer,
  type CustomerStatus,
} from '../../../common/customer.ts';
import type { CustomerExport } from '../../../common/export.ts';
import { CustomAttributeBadges } from '../../components/CustomAttributeBadges.tsx';
import { PhoneNumber, usePhoneFormat } from '../../components/PhoneNumber.tsx';
import { ExportButton } from '../exports/ExportButton.tsx';
import { useCan } from '../session.tsx';

interface Props {
  customer: Customer;
  canEdit: boolean;
  selected: boolean;
  onSelect: (checked: boolean) => void;
  /** The type's name, '' for none, or null when the list has no type column. */
  typeName: string | null;
  withAttributes: boolean;
  /** Custom field labels by key, for the attribute badges. */
  fieldLabels: Map<string, string>;
  /** The agent may export customer data (customers.export): the row has an export button. */
  canExport: boolean;
  latestExport: CustomerExport | undefined;
  busy: boolean;
  onStatus: (status: CustomerStatus) => void;
  onDragStart: (event: DragEvent) => void;
  onDragEnd: () => void;
  dragHandle: ReactNode;
}

export function CustomerRow(props: Props) {
  const { t } = useTranslation();
  const { customer, canEdit } = props;
  // Deactivating and reactivating need customers.delete as well (the server refuses it without).
  const canChangeStatus = useCan('customers.delete');
  const formatPhone = usePhoneFormat();
  const name = customerDisplayName({ ...customer, email: null, phone: null });
  const label =
    name ||
    customer.email ||
    (customer.phone && formatPhone(customer.phone)) ||
    t('customers.noName');
  const empty = t('app.emptyValue');

  return (
    <Table.Tr
      draggable={canEdit}
      onDragStart={canEdit ? props.onDragStart : undefined}
      onDragEnd={canEdit ? props.onDragEnd : undefined}
      data-customer-id={customer.id}
      bg={props.selected ? 'var(--mantine-color-blue-light)' : undefined}
      style={canEdit ? { cursor: 'grab' } : undefined}
    >
      {canEdit && (
        <Table.Td>
          <Checkbox
            aria-label={t('select.one', { name: label })}
            checked={props.selected}
            onChange={(event) => props.onSelect(event.currentTarget.checked)}
          />
        </Table.Td>
      )}
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          {props.dragHandle && (
            <Text span c="gray.5" lh={0} aria-hidden>
              {props.dragHandle}
            </Text>
          )}
          <Anchor
            component={Link}
            to={`/customers/${customer.id}`}
            fw={500}
            size="sm"
            draggable={false}
          >
            {name || t('customers.noName')}
          </Anchor>
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{customer.email ?? empty}</Text>
      </Table.Td>
      <Table.Td>
        {customer.phone ? <PhoneNumber value={customer.phone} /> : <Text size="sm">{empty}</Text>}
      </Table.Td>
      <Table.Td>
        {customer.organizationId ? (
          <Anchor
            component={Link}
            to={`/organizations/${customer.organizationId}`}
            size="sm"
            c="dark"
            draggable={false}
          >
            {customer.organizationName}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            {t('organizations.none')}
          </Text>
        )}
      </Table.Td>
      {props.typeName !== null && (
        <Table.Td>
          <Text size="sm" c={props.typeName ? undefined : 'dimmed'}>
            {props.typeName || empty}
          </Text>
        </Table.Td>
      )}
      {props.withAttributes && (
        <Table.Td>
          <CustomAttributeBadges
            attributes={customer.customAttributes}
            labels={props.fieldLabels}
            limit={3}
          />
        </Table.Td>
      )}
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Button
            component={Link}
            to={`/customers/${customer.id}`}
            size="xs"
            variant="default"
            draggable={false}
          >
            {t('customers.open')}
          </Button>
          {props.canExport && (
            <ExportButton customer={customer} latest={props.latestExport} size="xs" />
          )}
          {canEdit &&
            canChangeStatus &&
            (customer.status === 'active' ? (
              <Button
                size="xs"
                variant="light"
                color="red"
                loading={props.busy}
                onClick={() => props.onStatus('deactivated')}
              >
                {t('customers.deactivate')}
              </Button>
            ) : (
              <Button
                size="xs"
                variant="light"
                color="green"
                loading={props.busy}
                onClick={() => props.onStatus('active')}
              >
                {t('customers.reactivate')}
              </Button>
            ))}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
