// Profile → API tokens: the agent's own tokens with when each was made and last used (the server
// records a use at most once a minute), a new one by name (shown once), and revoking one.
import { Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '../../../common/auth.ts';
import { profileKeys, tokensApi } from '../../api/profile.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../i18n/index.ts';
import { ShownOnceModal } from '../../components/ShownOnceModal.tsx';

export function ApiTokens() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: profileKeys.tokens, queryFn: tokensApi.list });
  const [name, setName] = useState('');
  const [checked, setChecked] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const create = useMutation({
    mutationFn: () => tokensApi.create(name.trim()),
    onSuccess: async (made) => {
      setShown(made.token);
      setName('');
      setChecked(false);
      await queryClient.invalidateQueries({ queryKey: profileKeys.tokens });
    },
  });
  const revoke = useMutation({
    mutationFn: (token: ApiToken) => tokensApi.revoke(token.id),
    onSuccess: async () => {
      setRevoking(null);
      notifications.show({ color: 'green', message: t('profile.tokenRevoked') });
      await queryClient.invalidateQueries({ queryKey: profileKeys.tokens });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (name.trim()) create.mutate();
  }

  return (
    <Stack>
      <Title order={2} size="h4">
        {t('profile.tokensTitle')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('profile.tokensIntro')}
      </Text>
      <form onSubmit={submit} noValidate aria-label={t('profile.newToken')}>
        <Group align="flex-start">
          <TextInput
            label={t('profile.tokenName')}
            placeholder={t('profile.tokenNamePlaceholder')}
            value={name}
            maxLength={100}
            onChange={(event) => setName(event.currentTarget.value)}
            error={checked && !name.trim() ? t('validation.required') : undefined}
            w={320}
          />
          <Button type="submit" mt={25} loading={create.isPending}>
            {t('profile.createToken')}
          </Button>
        </Group>
      </form>
      {create.isError && <ErrorAlert error={create.error} />}
      {tokens.isError && <ErrorAlert error={tokens.error} />}
      {tokens.data && tokens.data.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('profile.noTokens')}
        </Text>
      )}
      {tokens.data && tokens.data.length > 0 && (
        <Table verticalSpacing="sm" aria-label={t('profile.tokensTitle')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('profile.tokenName')}</Table.Th>
              <Table.Th>{t('profile.tokenCreated')}</Table.Th>
              <Table.Th>{t('profile.tokenLastUsed')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data.map((token) => (
              <Table.Tr key={token.id} data-token={token.id}>
                <Table.Td>{token.name}</Table.Td>
                <Table.Td>{formatDateTime(token.createdAt)}</Table.Td>
                <Table.Td>
                  {token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('profile.neverUsed')}
                </Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="xs"
                    variant="light"
                    color="red"
                    onClick={() => setRevoking(token)}
                    aria-label={t('profile.revokeNamed', { name: token.name })}
                  >
                    {t('profile.revoke')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {shown && (
        <ShownOnceModal
          title={t('profile.tokenCreatedTitle')}
          secret={shown}
          how={t('profile.tokenHow')}
          onClose={() => setShown(null)}
        />
      )}
      <ConfirmModal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={t('profile.revokeTitle')}
        confirmLabel={t('profile.revoke')}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        busy={revoke.isPending}
        error={revoke.error}
      >
        {t('profile.revokeBody', { name: revoking?.name ?? '' })}
      </ConfirmModal>
    </Stack>
  );
}
