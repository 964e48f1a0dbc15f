// The organizations beside the customer list: click one to show its customers, or drop customer
// rows on it (or on "No organization") to move them there.
import {
  Box,
  Button,
  Group,
  Loader,
  Paper,
  ScrollArea,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBuilding, IconBuildingOff, IconSearch, IconUsers } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState, type DragEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { keys, organizationsApi } from '../../api/kunde.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { NO_ORGANIZATION } from '../../components/OrganizationSelect.tsx';
import { formatNumber } from '../../i18n/index.ts';
import { carriesCustomers } from './customer-drag.ts';
import type { MoveTarget } from './useMoveCustomers.tsx';

const PAGE_SIZE = 50;

interface Props {
  /** The organization filter now: an id, NO_ORGANIZATION, or null for all. */
  filter: string | null;
  onFilter: (filter: string | null) => void;
  /** Whether customers are being dragged (drop zones light up), and what to do on a drop. */
  dragging: boolean;
  onDrop: ((target: MoveTarget) => void) | null;
}

export function OrganizationDropList({ filter, onFilter, dragging, onDrop }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 200);
  const [hovered, setHovered] = useState<string | null>(null);
  const list = useInfiniteQuery({
    queryKey: [...keys.organizationList({ q, limit: PAGE_SIZE }), 'infinite'],
    queryFn: ({ pageParam }) => organizationsApi.list({ q, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
  });
  const organizations = list.data?.pages.flatMap((page) => page.items) ?? [];

  const item = (key: string, target: MoveTarget | null, content: ReactNode) => {
    const active = (key === 'all' ? null : key) === filter;
    const droppable = target !== null && onDrop !== null;
    const over = droppable && dragging && hovered === key;
    const dropProps = droppable
      ? {
          onDragOver: (event: DragEvent) => {
            if (!carriesCustomers(event)) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = 'move';
            if (hovered !== key) setHovered(key);
          },
          onDragLeave: (event: DragEvent) => {
            if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setHovered(null);
          },
          onDrop: (event: DragEvent) => {
            event.preventDefault();
            setHovered(null);
            onDrop(target);
          },
        }
      : {};
    return (
      <UnstyledButton
        key={key}
        onClick={() => onFilter(key === 'all' ? null : key)}
        aria-current={active ? 'true' : undefined}
        data-drop-target={droppable ? target.name : undefined}
        px="sm"
        py={7}
        w="100%"
        style={{
          borderRadius: 'var(--mantine-radius-sm)',
          background: over
            ? 'var(--mantine-color-blue-1)'
            : active
              ? 'var(--mantine-color-blue-light)'
              : undefined,
          outline: over
            ? '2px solid var(--mantine-color-blue-5)'
            : dragging && droppable
              ? '1px dashed var(--mantine-color-gray-4)'
              : undefined,
          outlineOffset: -2,
          color: active ? 'var(--mantine-color-blue-light-color)' : undefined,
        }}
        {...dropProps}
      >
        {content}
      </UnstyledButton>
    );
  };

  const line = (icon: ReactNode, label: string, count?: number) => (
    <Group gap="xs" wrap="nowrap" justify="space-between">
      <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
        <Box style={{ flexShrink: 0, display: 'flex' }}>{icon}</Box>
        <Text size="sm" truncate title={label}>
          {label}
        </Text>
      </Group>
      {count !== undefined && (
        <Text size="xs" c="dimmed">
          {formatNumber(count)}
        </Text>
      )}
    </Group>
  );

  const none = t('organizations.none');
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      component="aside"
      aria-label={t('move.dropListLabel')}
      style={{
        position: 'sticky',
        top: 'calc(var(--app-shell-header-height, 60px) + var(--mantine-spacing-md))',
      }}
    >
      <Stack gap={6}>
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px={4}>
          {t('nav.organizations')}
        </Text>
        <Text size="xs" c={dragging ? 'blue' : 'dimmed'} px={4}>
          {onDrop ? t('move.dropHint') : t('move.filterHint')}
        </Text>
        <TextInput
          size="xs"
          aria-label={t('move.searchOrganizations')}
          placeholder={t('move.searchOrganizations')}
          leftSection={<IconSearch size={14} />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
        />
        <ScrollArea.Autosize
          mah="calc(100vh - 300px)"
          type="auto"
          offsetScrollbars
          scrollbars="y"
          // Long names end in an ellipsis rather than widen the list (a table-width content would).
          styles={{ content: { display: 'block', minWidth: 0 } }}
        >
          <Stack gap={2}>
            {item('all', null, line(<IconUsers size={16} />, t('move.allOrganizations')))}
            {item(
              NO_ORGANIZATION,
              { id: null, name: none },
              line(<IconBuildingOff size={16} />, none),
            )}
            <Box my={4} style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }} />
            {list.isError && <ErrorAlert error={list.error} />}
            {list.isPending && <Loader size="xs" m="sm" aria-label={t('app.loading')} />}
            {list.isSuccess && organizations.length === 0 && (
              <Text size="xs" c="dimmed" px={4}>
                {t('organizations.noMatch')}
              </Text>
            )}
            {organizations.map((organization) =>
              item(
                organization.id,
                { id: organization.id, name: organization.name },
                line(<IconBuilding size={16} />, organization.name, organization.customerCount),
              ),
            )}
            {list.hasNextPage && (
              <Button
                variant="subtle"
                size="xs"
                loading={list.isFetchingNextPage}
                onClick={() => void list.fetchNextPage()}
              >
                {t('move.showMore')}
              </Button>
            )}
          </Stack>
        </ScrollArea.Autosize>
      </Stack>
    </Paper>
  );
}
