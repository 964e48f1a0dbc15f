// Administration → Teams → a team's ticket access (issue 13): every ticket, or only those of the
// organizations picked (searched on the server), each whole or one location or area of it. The
// members whose role sees everything anyway (scope.all) are named, so nobody is surprised.
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Team, TeamAccess, TeamAccessInput } from '../../../common/ticket.ts';
import { ApiError } from '../../api/client.ts';
import { organizationsApi } from '../../api/kunde.ts';
import { locationsApi, placeKeys } from '../../api/organization-places.ts';
import { teamsApi } from '../../api/tickets.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeServerMessage } from '../../i18n/server-messages.ts';

type Entry = TeamAccessInput & { organizationName: string };

export function TeamAccessModal(props: {
  team: Team;
  agentName: (id: string | null) => string | null;
  onClose: () => void;
  onSaved: (team: Team) => void;
}) {
  const { t } = useTranslation();
  const [access, setAccess] = useState<TeamAccess>(props.team.access);
  const [entries, setEntries] = useState<Entry[]>(props.team.organizations);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 200);
  const found = useQuery({
    queryKey: ['organizations', 'teamAccessPicker', q],
    queryFn: () => organizationsApi.list({ q: q || undefined, limit: 20 }),
  });
  const save = useMutation({
    mutationFn: () =>
      teamsApi.update(props.team.id, {
        access,
        organizations: entries.map(({ organizationId, locationId, areaId }) => ({
          organizationId,
          locationId: locationId ?? null,
          areaId: areaId ?? null,
        })),
      }),
    onSuccess: props.onSaved,
  });
  const apiError = save.error instanceof ApiError ? save.error : null;
  const fieldError = (field: string) =>
    apiError?.fieldMessages(field).map((m) => localizeServerMessage(m, t))[0];
  const picked = new Set(entries.map((e) => e.organizationId));
  const options = (found.data?.items ?? [])
    .filter((o) => !picked.has(o.id))
    .map((o) => ({ value: o.id, label: o.name }));
  const seeAll = props.team.seeAllMemberIds.map((id) => props.agentName(id) ?? '');

  return (
    <Modal
      opened
      onClose={props.onClose}
      size="lg"
      title={<Text fw={600}>{t('teams.access.title', { name: props.team.name })}</Text>}
    >
      <Stack>
        <SegmentedControl
          aria-label={t('teams.access.label')}
          value={access}
          onChange={(value) => setAccess(value)}
          data={[
            { value: 'all', label: t('teams.access.all') },
            { value: 'organizations', label: t('teams.access.organizations') },
          ]}
        />
        {access === 'organizations' && (
          <>
            <Select
              label={t('teams.access.add')}
              placeholder={t('teams.access.searchPlaceholder')}
              data={options}
              searchable
              searchValue={search}
              onSearchChange={setSearch}
              filter={({ options: all }) => all}
              value={null}
              onChange={(id, option) => {
                if (!id) return;
                setEntries([
                  ...entries,
                  { organizationId: id, organizationName: option?.label ?? '' },
                ]);
                setSearch('');
              }}
              nothingFoundMessage={t('tickets.noMatch')}
            />
            {entries.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('teams.access.none')}
              </Text>
            )}
            {entries.map((entry, index) => (
              <AccessEntryRow
                key={entry.organizationId}
                entry={entry}
                error={(field) => fieldError(`organizations.${index}.${field}`)}
                onChange={(next) => setEntries(entries.map((e, i) => (i === index ? next : e)))}
                onRemove={() => setEntries(entries.filter((_, i) => i !== index))}
              />
            ))}
          </>
        )}
        {seeAll.length > 0 && (
          <Alert color="blue" variant="light">
            {t('teams.access.seeAll', { names: seeAll.join(', '), count: seeAll.length })}
          </Alert>
        )}
        {save.isError && !apiError?.errors.length && <ErrorAlert error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose} disabled={save.isPending}>
            {t('app.cancel')}
          </Button>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {t('teams.access.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** One organization served: whole, or one of its locations, or one area of that location. */
function AccessEntryRow(props: {
  entry: Entry;
  error: (field: 'organizationId' | 'locationId' | 'areaId') => string | undefined;
  onChange: (entry: Entry) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const { entry } = props;
  const locations = useQuery({
    queryKey: placeKeys.locationList(entry.organizationId, false),
    queryFn: () => locationsApi.list(entry.organizationId),
    select: (page) => page.items,
  });
  const location = locations.data?.find((l) => l.id === entry.locationId);
  return (
    <Paper withBorder radius="sm" p="sm">
      <Group align="flex-end" gap="sm" wrap="nowrap">
        <Text
          size="sm"
          fw={600}
          style={{ flex: 1 }}
          c={props.error('organizationId') ? 'red' : undefined}
        >
          {entry.organizationName}
          {props.error('organizationId') ? ` (${props.error('organizationId')})` : ''}
        </Text>
        <Select
          label={t('teams.access.location')}
          aria-label={t('teams.access.locationOf', { name: entry.organizationName })}
          placeholder={t('teams.access.whole')}
          data={(locations.data ?? []).map((l) => ({ value: l.id, label: l.name }))}
          value={entry.locationId ?? null}
          onChange={(id) => props.onChange({ ...entry, locationId: id, areaId: null })}
          clearable
          error={props.error('locationId')}
          w={180}
        />
        <Select
          label={t('teams.access.area')}
          aria-label={t('teams.access.areaOf', { name: entry.organizationName })}
          placeholder={t('teams.access.wholeLocation')}
          data={(location?.areas ?? []).map((a) => ({ value: a.id, label: a.name }))}
          value={entry.areaId ?? null}
          onChange={(id) => props.onChange({ ...entry, areaId: id })}
          disabled={!location}
          clearable
          error={props.error('areaId')}
          w={180}
        />
        <ActionIcon
          variant="subtle"
          color="red"
          aria-label={t('teams.access.remove', { name: entry.organizationName })}
          onClick={props.onRemove}
          mb={4}
        >
          <IconTrash size={16} />
        </ActionIcon>
      </Group>
    </Paper>
  );
}
