// The Locations tab: each location of the organization (its address, phone and notes) with the
// areas inside it (a floor, a department, a site). Deactivating keeps a place on the tickets
// that have it; it only leaves the pickers for new ones.
import {
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { locationAddress, type Area, type Location } from '../../../common/location.ts';
import type { Organization } from '../../../common/organization.ts';
import { ApiError } from '../../api/client.ts';
import { locationsApi, placeKeys } from '../../api/organization-places.ts';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert.tsx';
import { PhoneNumber } from '../../components/PhoneNumber.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';
import { LocationFormModal } from './LocationFormModal.tsx';

export function OrganizationLocations({
  organization,
  canEdit,
}: {
  organization: Organization;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const list = useQuery({
    queryKey: placeKeys.locationList(organization.id, false),
    queryFn: () => locationsApi.list(organization.id),
  });
  return (
    <Stack gap="md" component="section" aria-labelledby="locations-title">
      <Group justify="space-between">
        <Title order={2} size="h4" id="locations-title">
          {t('locations.title')}
        </Title>
        {canEdit && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
            {t('locations.add')}
          </Button>
        )}
      </Group>
      {list.isError && <ErrorAlert error={list.error} />}
      {!list.data && !list.isError && <Loader size="sm" aria-label={t('app.loading')} />}
      {list.data?.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('locations.empty')}
        </Text>
      )}
      {list.data?.items.map((location) => (
        <LocationCard
          key={location.id}
          organizationId={organization.id}
          location={location}
          canEdit={canEdit}
        />
      ))}
      {canEdit && (
        <LocationFormModal
          opened={adding}
          onClose={() => setAdding(false)}
          organizationId={organization.id}
        />
      )}
    </Stack>
  );
}

function LocationCard({
  organizationId,
  location,
  canEdit,
}: {
  organizationId: string;
  location: Location;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const toggle = useMutation({
    mutationFn: () =>
      locationsApi.update(organizationId, location.id, { active: !location.active }),
    onSuccess: async (saved) => {
      notifications.show({
        color: 'gray',
        message: saved.active
          ? t('locations.wasReactivated', { name: saved.name })
          : t('locations.wasDeactivated', { name: saved.name }),
      });
      await queryClient.invalidateQueries({ queryKey: placeKeys.locations(organizationId) });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
  const address = locationAddress(location);
  const headingId = `location-${location.id}`;
  return (
    <Paper withBorder radius="md" p="lg" component="article" aria-labelledby={headingId}>
      <Group justify="space-between" align="flex-start" mb="sm">
        <Stack gap={2}>
          <Group gap="xs">
            <Title order={3} size="h5" id={headingId}>
              {location.name}
            </Title>
            {!location.active && (
              <Badge color="gray" variant="light">
                {t('locations.deactivated')}
              </Badge>
            )}
          </Group>
          <Text size="sm">{address || t('locations.noAddress')}</Text>
          {location.phone && (
            <Text size="sm" c="dimmed">
              {t('locations.phone')}: <PhoneNumber value={location.phone} freeText />
            </Text>
          )}
          {location.notes && (
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
              {location.notes}
            </Text>
          )}
        </Stack>
        {canEdit && (
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              leftSection={<IconPencil size={14} />}
              aria-label={t('locations.editNamed', { name: location.name })}
              onClick={() => setEditing(true)}
            >
              {t('customer.edit')}
            </Button>
            <Button
              size="xs"
              variant="subtle"
              color={location.active ? 'red' : 'green'}
              loading={toggle.isPending}
              onClick={() => toggle.mutate()}
              aria-label={
                location.active
                  ? t('locations.deactivateNamed', { name: location.name })
                  : t('locations.reactivateNamed', { name: location.name })
              }
            >
              {location.active ? t('locations.deactivate') : t('locations.reactivate')}
            </Button>
          </Group>
        )}
      </Group>
      <Title order={4} size="h6" mb={4}>
        {t('locations.areas')}
      </Title>
      <Table verticalSpacing={4} aria-label={t('locations.areasOf', { name: location.name })}>
        <Table.Tbody>
          {location.areas.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={3}>
                <Text size="sm" c="dimmed">
                  {t('locations.noAreas')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {location.areas.map((area) => (
            <AreaRow key={area.id} organizationId={organizationId} area={area} canEdit={canEdit} />
          ))}
          {canEdit && <AddAreaRow organizationId={organizationId} location={location} />}
        </Table.Tbody>
      </Table>
      {canEdit && (
        <LocationFormModal
          key={`${location.id}-${location.updatedAt}`}
          opened={editing}
          onClose={() => setEditing(false)}
          organizationId={organizationId}
          location={location}
        />
      )}
    </Paper>
  );
}

function AreaRow({
  organizationId,
  area,
  canEdit,
}: {
  organizationId: string;
  area: Area;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<{ name: string; description: string } | null>(null);
  const toggle = useMutation({
    mutationFn: () =>
      locationsApi.updateArea(organizationId, area.locationId, area.id, { active: !area.active }),
    onSuccess: async (saved) => {
      notifications.show({
        color: 'gray',
        message: saved.active
          ? t('locations.wasReactivated', { name: saved.name })
          : t('locations.wasDeactivated', { name: saved.name }),
      });
      await queryClient.invalidateQueries({ queryKey: placeKeys.locations(organizationId) });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
  const save = useMutation({
    mutationFn: (values: { name: string; description: string }) =>
      locationsApi.updateArea(organizationId, area.locationId, area.id, {
        name: values.name.trim(),
        description: values.description.trim() || null,
      }),
    onSuccess: async (saved) => {
      setDraft(null);
      notifications.show({
        color: 'green',
        message: t('locations.areaSaved', { name: saved.name }),
      });
      await queryClient.invalidateQueries({ queryKey: placeKeys.locations(organizationId) });
    },
  });

  if (draft) {
    const formId = `edit-area-${area.id}`;
    const apiError = save.error instanceof ApiError ? save.error : null;
    const message = (field: string) =>
      (apiError?.fieldErrorsOf(field) ?? []).map((m) => localizeFieldError(m, t)).join('; ') ||
      null;
    const submit = (event: FormEvent) => {
      event.preventDefault();
      if (draft.name.trim()) save.mutate(draft);
    };
    return (
      <Table.Tr>
        <AreaInputCells
          formId={formId}
          values={draft}
          onChange={setDraft}
          errors={{
            name: !draft.name.trim() ? t('validation.required') : message('name'),
            description:
              message('description') ??
              (save.isError && !apiError?.errors.length ? errorMessage(save.error, t) : null),
          }}
        />
        <Table.Td>
          <form id={formId} onSubmit={submit} noValidate>
            <Group gap={4} wrap="nowrap">
              <Button size="xs" type="submit" variant="light" loading={save.isPending}>
                {t('locations.saveArea')}
              </Button>
              <Button size="xs" variant="subtle" color="gray" onClick={() => setDraft(null)}>
                {t('app.cancel')}
              </Button>
            </Group>
          </form>
        </Table.Td>
      </Table.Tr>
    );
  }
  return (
    <Table.Tr>
      <Table.Td>
        <Group gap="xs">
          <Text size="sm">{area.name}</Text>
          {!area.active && (
            <Badge size="xs" color="gray" variant="light">
              {t('locations.deactivated')}
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {area.description ?? ''}
        </Text>
      </Table.Td>
      <Table.Td w={1}>
        {canEdit && (
          <Group gap={4} wrap="nowrap">
            <Button
              size="xs"
              variant="subtle"
              color="gray"
              leftSection={<IconPencil size={14} />}
              onClick={() => {
                save.reset();
                setDraft({ name: area.name, description: area.description ?? '' });
              }}
              aria-label={t('locations.editArea', { name: area.name })}
            >
              {t('locations.areaEdit')}
            </Button>
            <Button
              size="xs"
              variant="subtle"
              color={area.active ? 'red' : 'green'}
              loading={toggle.isPending}
              onClick={() => toggle.mutate()}
              aria-label={
                area.active
                  ? t('locations.deactivateNamed', { name: area.name })
                  : t('locations.reactivateNamed', { name: area.name })
              }
            >
              {area.active ? t('locations.deactivate') : t('locations.reactivate')}
            </Button>
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

interface AreaValues {
  name: string;
  description: string;
}

/** An area's name and description as two table cells, for the add row and the edit row. */
function AreaInputCells(props: {
  formId: string;
  values: AreaValues;
  onChange: (values: AreaValues) => void;
  errors: { name: string | null; description: string | null };
  placeholders?: boolean;
}) {
  const { t } = useTranslation();
  const { values, onChange } = props;
  const field = (key: keyof AreaValues, label: string) => (
    <Table.Td>
      <TextInput
        size="xs"
        form={props.formId}
        aria-label={label}
        placeholder={props.placeholders ? label : undefined}
        value={values[key]}
        onChange={(event) => onChange({ ...values, [key]: event.currentTarget.value })}
        error={props.errors[key]}
      />
    </Table.Td>
  );
  return (
    <>
      {field('name', t('locations.areaName'))}
      {field('description', t('locations.areaDescription'))}
    </>
  );
}

function AddAreaRow({ organizationId, location }: { organizationId: string; location: Location }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [missing, setMissing] = useState(false);
  const add = useMutation({
    mutationFn: () =>
      locationsApi.createArea(organizationId, location.id, {
        name: name.trim(),
        description: description.trim() || null,
      }),
    onSuccess: async (area) => {
      setName('');
      setDescription('');
      notifications.show({
        color: 'green',
        message: t('locations.areaAdded', { name: area.name }),
      });
      await queryClient.invalidateQueries({ queryKey: placeKeys.locations(organizationId) });
    },
  });
  const formId = `add-area-${location.id}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const empty = !name.trim();
    setMissing(empty);
    if (!empty) add.mutate();
  };
  const apiError = add.error instanceof ApiError ? add.error : null;
  const message = (field: string) =>
    (apiError?.fieldErrorsOf(field) ?? []).map((m) => localizeFieldError(m, t)).join('; ') || null;
  return (
    <Table.Tr>
      <AreaInputCells
        formId={formId}
        values={{ name, description }}
        onChange={(values) => {
          setName(values.name);
          setDescription(values.description);
        }}
        errors={{
          name: missing ? t('validation.required') : message('name'),
          description:
            message('description') ??
            (add.isError && !apiError?.errors.length ? errorMessage(add.error, t) : null),
        }}
        placeholders
      />
      <Table.Td>
        <form id={formId} onSubmit={submit} noValidate>
          <Button size="xs" type="submit" variant="light" loading={add.isPending}>
            {t('locations.addArea')}
          </Button>
        </form>
      </Table.Td>
    </Table.Tr>
  );
}
