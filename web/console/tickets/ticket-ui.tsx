// Small pieces every ticket view shares: the status badge and its colours, the channel label,
// a customer's initials, agent and team look-ups, and "5 minutes ago".
import { Badge, Group, Text } from '@mantine/core';
import {
  IconApi,
  IconDeviceMobileMessage,
  IconHeadset,
  IconMail,
  IconWorld,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../common/auth.ts';
import type { Ticket, TicketStatus } from '../../../common/ticket.ts';
import { agentsApi, teamsApi, ticketKeys } from '../../api/tickets.ts';
import { currentLocale } from '../../i18n/index.ts';
import { useCan, useSession } from '../session.tsx';

export const STATUS_COLORS: Record<TicketStatus, string> = {
  open: 'blue',
  pending: 'yellow',
  error: 'red',
  resolved: 'green',
  closed: 'gray',
};

export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={STATUS_COLORS[status]}
      variant="light"
      radius="sm"
      data-status={status}
      miw="max-content"
    >
      {t(`tickets.status.${status}`)}
    </Badge>
  );
}

const CHANNEL_ICONS = {
  email: IconMail,
  sms: IconDeviceMobileMessage,
  api: IconApi,
  agent: IconHeadset,
  hub: IconWorld,
} as const;

export function ChannelLabel({ channel }: { channel: Ticket['channel'] }) {
  const { t } = useTranslation();
  const Icon = CHANNEL_ICONS[channel];
  return (
    <Group gap={6} wrap="nowrap">
      <Icon size={16} color="var(--mantine-color-gray-6)" aria-hidden />
      <Text size="sm">{t(`tickets.channel.${channel}`)}</Text>
    </Group>
  );
}

/**
 * Two letters for a person: first and last name ("Ola Nordmann" → "ON"); without a name, from the
 * email's local part ("ola.nordmann@…" → "ON") or the last two digits of the phone number.
 */
export function initialsOf(person: {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  name?: string | null;
}): string {
  const letter = (word: string | null | undefined) =>
    word
      ?.trim()
      .match(/\p{L}|\p{N}/u)?.[0]
      ?.toUpperCase() ?? '';
  const fromNames = letter(person.firstName) + letter(person.lastName);
  if (fromNames) return fromNames;
  if (person.name && !person.name.includes('@') && !/^\+?[\d\s]+$/.test(person.name)) {
    const words = person.name.split(/\s+/).filter(Boolean);
    return letter(words[0]) + (words.length > 1 ? letter(words[words.length - 1]) : '') || '?';
  }
  const email = person.email ?? (person.name?.includes('@') ? person.name : null);
  if (email) {
    const parts = (email.split('@')[0] ?? '').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const first = parts[0] ?? '';
    return (parts.length > 1 ? letter(first) + letter(parts[1]) : first.slice(0, 2)).toUpperCase();
  }
  const digits = (person.phone ?? person.name ?? '').replace(/\D/g, '');
  return digits.slice(-2) || '?';
}

/** The account's agents, or null when this agent may not list them. */
export function useAgents() {
  const canList = useCan('agents.manage');
  return useQuery({
    queryKey: ticketKeys.agents,
    queryFn: agentsApi.list,
    enabled: canList,
    staleTime: 60_000,
  });
}

export function useTeams() {
  return useQuery({
    queryKey: ticketKeys.teams,
    queryFn: teamsApi.list,
    select: (page) => page.items,
    staleTime: 60_000,
  });
}

/**
 * Names agents by id. Without the agent list (no agents.manage) the console knows only the
 * agent who is logged in; anyone else is "another agent".
 */
export function useAgentNames(): (id: string | null) => string | null {
  const { t } = useTranslation();
  const session = useSession();
  const agents = useAgents();
  return (id) => {
    if (!id) return null;
    if (id === session.user.id) return session.user.name;
    return agents.data?.find((agent) => agent.id === id)?.name ?? t('tickets.otherAgent');
  };
}

/** The agents to offer in a picker: everyone when known, else only the agent logged in. */
export function useAgentOptions(): { value: string; label: string }[] {
  const session = useSession();
  const agents = useAgents();
  const list: Pick<User, 'id' | 'name' | 'status'>[] = agents.data ?? [session.user];
  return list
    .filter((agent) => agent.status === 'active')
    .map((agent) => ({ value: agent.id, label: agent.name }));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "5 minutes ago", "yesterday"; under a minute "just now". */
export function formatRelative(iso: string, t: TFunction, now = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  if (Number.isNaN(seconds)) return iso;
  if (Math.abs(seconds) < 60) return t('tickets.justNow');
  const format = new Intl.RelativeTimeFormat(currentLocale(), { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(Math.round(seconds / 60), 'minute');
}

export function formatBytes(bytes: number): string {
  const format = new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${format.format(bytes)} B`;
  if (bytes < 1024 * 1024) return `${format.format(bytes / 1024)} KB`;
  return `${format.format(bytes / 1024 / 1024)} MB`;
}
