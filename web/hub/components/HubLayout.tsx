// The frame of a signed-in customer's pages: the account's name, My tickets / New ticket /
// Profile, the language switch and Sign out in the header. On a phone the links shrink to icons
// with their names as labels, so the header never runs wider than 375 px.
import { ActionIcon, Box, Button, Container, Group, Text, Tooltip } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconList, IconLogout, IconPlus, IconUser } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { useHubT, type HubKey } from '../i18n/index.ts';
import { useMe, useSignOut, useSite } from '../session.tsx';
import { LanguageMenu } from './LanguageMenu.tsx';

/** Phones and narrow windows: below Mantine's `sm` breakpoint. */
export function usePhone(): boolean {
  return useMediaQuery('(max-width: 48em)') ?? false;
}

function NavLink(props: { to: string; label: HubKey; icon: ReactNode; phone: boolean }) {
  const { t } = useHubT();
  if (props.phone) {
    return (
      <Tooltip label={t(props.label)}>
        <ActionIcon
          component={Link}
          to={props.to}
          variant="subtle"
          color="gray"
          size="lg"
          aria-label={t(props.label)}
        >
          {props.icon}
        </ActionIcon>
      </Tooltip>
    );
  }
  return (
    <Button component={Link} to={props.to} variant="subtle" color="gray" leftSection={props.icon}>
      {t(props.label)}
    </Button>
  );
}

export function HubLayout({ children }: { children: ReactNode }) {
  const { t } = useHubT();
  const site = useSite();
  const me = useMe();
  const phone = usePhone();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const base = `/${site.slug}`;

  async function leave() {
    await signOut().catch(() => undefined);
    await navigate(base);
  }

  return (
    <Box mih="100vh" bg="gray.0">
      <Box
        component="header"
        bg="white"
        style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      >
        <Container size="lg" px="sm">
          <Group justify="space-between" py={6} wrap="nowrap" gap="xs">
            <Box style={{ minWidth: 0 }}>
              <Text
                component={Link}
                to={`${base}/tickets`}
                fw={700}
                size="lg"
                c="blue.9"
                truncate
                display="block"
              >
                {site.accountName}
              </Text>
              <Text size="xs" c="dimmed" truncate>
                {t('app.name')} · {me.customer.name}
              </Text>
            </Box>
            <Group gap={phone ? 2 : 'xs'} wrap="nowrap" component="nav">
              <NavLink
                to={`${base}/tickets`}
                label="header.myTickets"
                icon={<IconList size={18} />}
                phone={phone}
              />
              <NavLink
                to={`${base}/tickets/new`}
                label="header.newTicket"
                icon={<IconPlus size={18} />}
                phone={phone}
              />
              <NavLink
                to={`${base}/profile`}
                label="header.profile"
                icon={<IconUser size={18} />}
                phone={phone}
              />
              <LanguageMenu />
              {phone ? (
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="lg"
                  aria-label={t('header.signOut')}
                  onClick={() => void leave()}
                >
                  <IconLogout size={18} />
                </ActionIcon>
              ) : (
                <Button
                  variant="default"
                  leftSection={<IconLogout size={16} />}
                  onClick={() => void leave()}
                >
                  {t('header.signOut')}
                </Button>
              )}
            </Group>
          </Group>
        </Container>
      </Box>
      <Container size="lg" px="sm" py="md" component="main">
        {children}
      </Container>
    </Box>
  );
}
