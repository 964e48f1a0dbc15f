// The role editor: a name and every permission Kunde has (PERMISSIONS, in its order), each with
// its name and a one-line explanation, ticked for what the role may do. The built-in
// Administrator is shown read-only with every permission ticked. A permission added to
// common/permissions.ts only needs its two strings in en.json and nb.json to appear here.
import { Alert, Button, Checkbox, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoleSummary } from '../../../common/agents.ts';
import { PERMISSIONS, type Permission } from '../../../common/permissions.ts';
import { rolesApi } from '../../api/agents.ts';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeServerMessage } from '../../i18n/server-messages.ts';

export function RoleEditorModal(props: {
  /** The role to edit; undefined for a new one. */
  role?: RoleSummary;
  onClose: () => void;
  onSaved: (role: RoleSummary) => void;
}) {
  const { t } = useTranslation();
  const role = props.role;
  const readOnly = role?.builtIn === 'administrator';
  const [name, setName] = useState(role?.name ?? '');
  const [ticked, setTicked] = useState<Set<Permission>>(new Set(role?.permissions ?? []));
  const [checked, setChecked] = useState(false);

  const save = useMutation({
    mutationFn: () => {
      const body = { name: name.trim(), permissions: PERMISSIONS.filter((p) => ticked.has(p)) };
      return role ? rolesApi.update(role.id, body) : rolesApi.create(body);
    },
    onSuccess: props.onSaved,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (!readOnly && name.trim()) save.mutate();
  }

  const apiError = save.error instanceof ApiError ? save.error : null;
  const nameError =
    checked && !name.trim()
      ? t('validation.required')
      : apiError?.code === 'role_name_taken'
        ? t('roles.nameTaken')
        : apiError?.fieldMessages('name').map((m) => localizeServerMessage(m, t))[0];
  const title = !role
    ? t('roles.createTitle')
    : readOnly
      ? t('roles.viewTitle', { name: role.name })
      : t('roles.editTitle', { name: role.name });

  return (
    <Modal opened onClose={props.onClose} size="lg" title={<Text fw={600}>{title}</Text>}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {readOnly && <Alert color="blue">{t('roles.readOnly')}</Alert>}
          {save.isError && !nameError && <ErrorAlert error={save.error} />}
          <TextInput
            label={t('roles.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameError}
            readOnly={readOnly}
            data-autofocus
          />
          <Checkbox.Group
            label={t('roles.permissions')}
            value={readOnly ? [...PERMISSIONS] : PERMISSIONS.filter((p) => ticked.has(p))}
            onChange={(values) => setTicked(new Set(PERMISSIONS.filter((p) => values.includes(p))))}
          >
            <Stack gap="sm" mt="xs">
              {PERMISSIONS.map((permission) => (
                <Checkbox
                  key={permission}
                  value={permission}
                  label={t(`permissions.${permission}.name`)}
                  description={t(`permissions.${permission}.explain`)}
                  disabled={readOnly}
                />
              ))}
            </Stack>
          </Checkbox.Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose} disabled={save.isPending}>
              {readOnly ? t('app.close') : t('app.cancel')}
            </Button>
            {!readOnly && (
              <Button type="submit" loading={save.isPending}>
                {role ? t('app.save') : t('roles.create')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
