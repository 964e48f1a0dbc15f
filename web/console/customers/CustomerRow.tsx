// One row of the customer list: select, number, name, email, phone, organization, type,
// attributes, created, and an actions menu ("⋯": open, export data, deactivate / reactivate).
// Long names and organizations end in an ellipsis with the whole text as their title, so the
// table fits a 1280 px screen in either language; the whole row can be dragged onto an
// organization when the agent may edit.
import { ActionIcon, Anchor, Checkbox, Group, Menu, Table, Text } from '@mantine/core';
import { IconCircleCheck, IconDots, IconExternalLink, IconUserOff } from '@tabler/icons-react';
import type { CSSProperties, DragEvent, ReactNode } from 'react';
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
import { formatDateTime } from '../../i18n/index.ts';
import { ExportMenuItem } from '../exports/ExportButton.tsx';
import { useCan } from '../session.tsx';

export type CustomerColumn =
  | 'number'
  | 'email'
  | 'phone'
  | 'organization'
  | 'type'
  | 'attributes'
  | 'created'
  | 'lastActivity';

interface Props {
  customer: Customer;
  canEdit: boolean;
  selected: boolean;
  onSelect: (checked: boolean) => void;
  /** The columns shown, in table order. */
  shown: (column: CustomerColumn) => boolean;
  /** The type's name, '' for none. */
  typeName: string;
  /** Custom field labels by key, for the attribute badges. */
  fieldLabels: Map<string, string>;
  /** The agent may export customer data (customers.export): the menu offers it. */
  canExport: boolean;
  latestExport: CustomerExport | undefined;
  onStatus: (status: CustomerStatus) => void;
  onDragStart: (event: DragEvent) => void;
  onDragEnd: () => void;
  dragHandle: ReactNode;
}

/** One line, cut with an ellipsis; the title carries the whole text. */
export const ellipsis: CSSProperties = {
  whiteSpace: 'nowrap',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  display: 'block',
};

export function CustomerRow(props: Props) {
  const { t } = useTranslation();
  const { customer, canEdit, shown } = props;
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
      {shown('number') && (
        <Table.Td>
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {customer.number}
          </Text>
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
            title={name || undefined}
            style={{ ...ellipsis, minWidth: 0 }}
          >
            {name || t('customers.noName')}
          </Anchor>
        </Group>
      </Table.Td>
      {shown('email') && (
        <Table.Td>
          <Text size="sm" title={customer.email ?? undefined} style={ellipsis}>
            {customer.email ?? empty}
          </Text>
        </Table.Td>
      )}
      {shown('phone') && (
        <Table.Td>
          {customer.phone ? <PhoneNumber value={customer.phone} /> : <Text size="sm">{empty}</Text>}
        </Table.Td>
      )}
      {shown('organization') && (
        <Table.Td>
          {customer.organizationId ? (
            <Anchor
              component={Link}
              to={`/organizations/${customer.organizationId}`}
              size="sm"
              c="dark"
              draggable={false}
              title={customer.organizationName ?? undefined}
              style={ellipsis}
            >
              {customer.organizationName}
            </Anchor>
          ) : (
            <Text size="sm" c="dimmed" style={ellipsis}>
              {t('organizations.none')}
            </Text>
          )}
        </Table.Td>
      )}
      {shown('type') && (
        <Table.Td>
          <Text
            size="sm"
            c={props.typeName ? undefined : 'dimmed'}
            title={props.typeName || undefined}
            style={ellipsis}
          >
            {props.typeName || empty}
          </Text>
        </Table.Td>
      )}
      {shown('attributes') && (
        <Table.Td>
          <CustomAttributeBadges
            attributes={customer.customAttributes}
            labels={props.fieldLabels}
            limit={1}
            compact
          />
        </Table.Td>
      )}
      {shown('created') && (
        <Table.Td>
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {formatDateTime(customer.createdAt)}
          </Text>
        </Table.Td>
      )}
      {shown('lastActivity') && (
        <Table.Td>
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {customer.lastActivityAt ? formatDateTime(customer.lastActivityAt) : empty}
          </Text>
        </Table.Td>
      )}
      <Table.Td>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={t('customers.actionsFor', { name: label })}
              draggable={false}
            >
              <IconDots size={18} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item
              component={Link}
              to={`/customers/${customer.id}`}
              leftSection={<IconExternalLink size={14} />}
            >
              {t('customers.open')}
            </Menu.Item>
            {props.canExport && <ExportMenuItem customer={customer} latest={props.latestExport} />}
            {canEdit &&
              canChangeStatus &&
              (customer.status === 'active' ? (
                <Menu.Item
                  color="red"
                  leftSection={<IconUserOff size={14} />}
                  onClick={() => props.onStatus('deactivated')}
                >
                  {t('customers.deactivate')}
                </Menu.Item>
              ) : (
                <Menu.Item
                  leftSection={<IconCircleCheck size={14} />}
                  onClick={() => props.onStatus('active')}
                >
                  {t('customers.reactivate')}
                </Menu.Item>
              ))}
          </Menu.Dropdown>
        </Menu>
      </Table.Td>
    </Table.Tr>
  );
}
