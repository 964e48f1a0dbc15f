// The add/edit dialog of Administration → Agents: name, email, role, teams and language; when
// adding, either an emailed invitation (the default) or a password given now. The server's
// refusals show on their fields (email taken, no such role, the last administrator).
import {
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoleSummary } from '../../../common/agents.ts';
import { PASSWORD_MIN, type User } from '../../../common/auth.ts';
import type { Locale } from '../../../common/settings.ts';
import type { Team } from '../../../common/ticket.ts';
import { agentAdminApi } from '../../api/agents.ts';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeServerMessage } from '../../i18n/server-messages.ts';

export function AgentFormModal(props: {
  /** The agent to edit; undefined to add one. */
  agent?: User;
  roles: RoleSummary[];
  teams: Team[];
  onClose: () => void;
  onSaved: (agent: User, invited: boolean) => void;
}) {
  const { t } = useTranslation();
  const editing = props.agent;
  const defaultRole = props.roles.find((r) => r.builtIn === 'agent')?.id ?? props.roles[0]?.id;
  const [name, setName] = useState(editing?.name ?? '');
  const [email, setEmail] = useState(editing?.email ?? '');
  const [roleId, setRoleId] = useState<string | null>(editing?.roleId ?? defaultRole ?? null);
  const [teamIds, setTeamIds] = useState<string[]>(editing?.teamIds ?? []);
  const [locale, setLocale] = useState<Locale>(editing?.locale ?? 'en');
  const [invite, setInvite] = useState(true);
  const [password, setPassword] = useState('');
  const [checked, setChecked] = useState(false);

  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: name.trim(),
        email: email.trim(),
        roleId: roleId ?? undefined,
        teamIds,
        locale,
      };
      if (editing) return agentAdminApi.update(editing.id, body);
      return agentAdminApi.create(invite ? body : { ...body, password });
    },
    onSuccess: (agent) => props.onSaved(agent, !editing && invite),
  });

  const needPassword = !editing && !invite;
  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (!name.trim() || !email.trim()) return;
    if (needPassword && password.length < PASSWORD_MIN) return;
    save.mutate();
  }

  const apiError = save.error instanceof ApiError ? save.error : null;
  const fieldError = (field: string) => {
    const error = apiError?.errors.find((e) => e.field === field);
    if (!error) return undefined;
    if (error.code === 'already_used') return t('agents.emailTaken');
    return localizeServerMessage(error.message, t);
  };
  const required = (value: string) =>
    checked && !value.trim() ? t('validation.required') : undefined;
  const roleError =
    apiError?.code === 'last_administrator' ? t('agents.lastAdministrator') : fieldError('roleId');
  const shownOnField = Boolean(
    fieldError('name') ||
    fieldError('email') ||
    roleError ||
    fieldError('teamIds') ||
    fieldError('password'),
  );

  return (
    <Modal
      opened
      onClose={props.onClose}
      title={
        <Text fw={600}>
          {editing ? t('agents.editTitle', { name: editing.name }) : t('agents.createTitle')}
        </Text>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {save.isError && !shownOnField && <ErrorAlert error={save.error} />}
          <TextInput
            label={t('agents.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={required(name) ?? fieldError('name')}
            data-autofocus
          />
          <TextInput
            label={t('agents.email')}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={required(email) ?? fieldError('email')}
          />
          <Select
            label={t('agents.role')}
            data={props.roles.map((r) => ({ value: r.id, label: r.name }))}
            value={roleId}
            onChange={setRoleId}
            allowDeselect={false}
            error={roleError}
          />
          <MultiSelect
            label={t('agents.teams')}
            placeholder={teamIds.length ? undefined : t('agents.teamsPlaceholder')}
            data={props.teams.map((team) => ({ value: team.id, label: team.name }))}
            value={teamIds}
            onChange={setTeamIds}
            searchable
            clearable
            error={fieldError('teamIds')}
          />
          <Select
            label={t('agents.language')}
            data={[
              { value: 'en', label: t('language.en') },
              { value: 'nb', label: t('language.nb') },
            ]}
            value={locale}
            onChange={(value) => setLocale(value === 'nb' ? 'nb' : 'en')}
            allowDeselect={false}
          />
          {!editing && (
            <Checkbox
              label={t('agents.invite')}
              description={t('agents.inviteHint')}
              checked={invite}
              onChange={(e) => setInvite(e.currentTarget.checked)}
            />
          )}
          {needPassword && (
            <PasswordInput
              label={t('agents.password')}
              description={t('agents.passwordHint')}
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={
                checked && password.length < PASSWORD_MIN
                  ? t('setPassword.tooShort')
                  : fieldError('password')
              }
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose} disabled={save.isPending}>
              {t('app.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {editing ? t('app.save') : t('agents.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
