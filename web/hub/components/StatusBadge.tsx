// A ticket's status as the customer sees it (an `error` ticket already arrives as open).
import { Badge } from '@mantine/core';
import type { HubTicketStatus } from '../../../common/hub.ts';
import { useHubT } from '../i18n/index.ts';

const COLORS: Record<HubTicketStatus, string> = {
  open: 'blue',
  pending: 'yellow',
  resolved: 'green',
  closed: 'gray',
};

export function StatusBadge({ status }: { status: HubTicketStatus }) {
  const { t } = useHubT();
  return (
    <Badge color={COLORS[status]} variant="light" style={{ flexShrink: 0 }}>
      {t(`status.${status}`)}
    </Badge>
  );
}
