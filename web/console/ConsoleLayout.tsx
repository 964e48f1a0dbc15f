// The console's frame: header with the account, language switch and the agent's menu; navigation
// on the left (Tickets → Unresolved / All, Customers → Active / Deactivated / Deleted / Possible
// duplicates (with the open count) / Import from CSV,
// Organizations, and for administrators Administration → Customers / Custom fields / Customer
// types / Detail panel / Customer Hub / Agents / Roles / Teams / Outbox); the page in the middle.
import {
  VisuallyHidden,
  AppShell,
  Avatar,
  Badge,
  Burger,
  Group,
  Menu,
  NavLink,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconAdjustments,
  IconBuilding,
  IconCategory,
  IconChevronDown,
  IconFileImport,
  IconFriends,
  IconForms,
  IconInbox,
  IconListDetails,
  IconLayoutList,
  IconLogout,
  IconMailExclamation,
  IconMailForward,
  IconSettings,
  IconWebhook,
  IconWorldWww,
  IconTicket,
  IconUserCheck,
  IconUserCircle,
  IconUserOff,
  IconUserX,
  IconShieldLock,
  IconUsers,
  IconUsersGroup,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router';
import { duplicatesApi, mergeKeys } from '../api/merges.ts';
import { errorMessage } from '../components/ErrorAlert.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { useCan, useLogout, useSession } from './session.tsx';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
}

/** The open duplicate suggestions, for the badge in the menu; refreshed now and then. */
function useDuplicateCount(): { count: number; capped: boolean } {
  const count = useQuery({
    queryKey: mergeKeys.duplicateCount,
    queryFn: duplicatesApi.count,
    refetchInterval: 60_000,
  });
  return { count: count.data?.count ?? 0, capped: count.data?.capped === true };
}

function AgentMenu() {
  const { t } = useTranslation();
  const session = useSession();
  const logout = useLogout();
  const navigate = useNavigate();

  function logOut() {
    logout()
      .then(() => navigate('/login'))
      .catch((error: unknown) =>
        notifications.show({ color: 'red', message: errorMessage(error, t) }),
      );
  }

  return (
    <Menu position="bottom-end" shadow="md" width={240}>
      <Menu.Target>
        {/* Named by its text, the agent's name (hidden but still read below sm); the initials
            are decoration: a label of its own would differ from the text a person sees. */}
        <UnstyledButton>
          <Group gap="xs" wrap="nowrap">
            <Avatar color="blue" radius="xl" size={32} aria-hidden>
              {initials(session.user.name)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm">
              {session.user.name}
            </Text>
            <VisuallyHidden hiddenFrom="sm">{session.user.name}</VisuallyHidden>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('header.signedInAs')}</Menu.Label>
        <Text size="sm" px="sm" fw={500}>
          {session.user.name}
        </Text>
        <Text size="xs" px="sm" pb="xs" c="dimmed">
          {session.user.email} · {session.user.roleName}
        </Text>
        <Menu.Divider />
        <Menu.Item component={Link} to="/profile" leftSection={<IconUserCircle size={16} />}>
          {t('profile.menu')}
        </Menu.Item>
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={logOut}>
          {t('header.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

export function ConsoleLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const [params] = useSearchParams();
  const onCustomers = location.pathname === '/customers';
  const status = params.get('status') === 'deactivated' ? 'deactivated' : 'active';
  const canAdminister = useCan('settings.manage');
  const onOrganizations = location.pathname.startsWith('/organizations');
  const canImport = useCan('customers.import');
  const onTickets = location.pathname === '/tickets';
  const ticketFilter = params.get('status') ?? 'unresolved';
  const canSeeTickets = useCan('tickets.view');
  const canManageAgents = useCan('agents.manage');
  const { count: duplicateCount, capped: duplicateCountCapped } = useDuplicateCount();
  // Each link only for whom its page is: settings pages for "manage settings", the team's pages
  // (agents, roles, teams) for "manage agents".
  const settingsLinks = [
    { to: '/admin/account', label: t('accountSettings.nav'), icon: IconSettings },
    { to: '/admin/customers', label: t('nav.adminCustomers'), icon: IconAdjustments },
    { to: '/admin/custom-fields', label: t('nav.customFields'), icon: IconForms },
    { to: '/admin/customer-types', label: t('nav.customerTypes'), icon: IconCategory },
    { to: '/admin/detail-panel', label: t('nav.detailPanel'), icon: IconLayoutList },
    { to: '/admin/customer-hub', label: t('nav.customerHub'), icon: IconWorldWww },
    { to: '/admin/webhooks', label: t('nav.webhooks'), icon: IconWebhook },
  ];
  const agentLinks = [
    { to: '/admin/agents', label: t('nav.agents'), icon: IconUsers },
    { to: '/admin/roles', label: t('nav.roles'), icon: IconShieldLock },
    { to: '/admin/teams', label: t('tickets.nav.teams'), icon: IconUsersGroup },
  ];
  const mailLinks = [
    { to: '/admin/outbox', label: t('tickets.nav.outbox'), icon: IconMailForward },
    { to: '/admin/inbound-mail', label: t('nav.inboundMail'), icon: IconMailExclamation },
  ];
  const adminLinks = [
    ...(canAdminister ? settingsLinks : []),
    ...(canManageAgents ? agentLinks : []),
    ...(canAdminister ? mailLinks : []),
  ];

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.toggle')}
            />
            <Text
              component={Link}
              to="/customers"
              fw={700}
              size="xl"
              c="blue.7"
              style={{ letterSpacing: '-0.02em' }}
            >
              {t('app.name')}
            </Text>
            <Text c="dimmed" size="sm" visibleFrom="xs">
              {session.account.name}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitch />
            <AgentMenu />
          </Group>
        </Group>
      </AppShell.Header>

      {/* Scrolls when its sections are taller than the window (Administration alone has a
          dozen links): otherwise the last ones could not be reached at all. */}
      <AppShell.Navbar
        p="sm"
        aria-label={t('nav.main')}
        component="nav"
        style={{ overflowY: 'auto' }}
      >
        {canSeeTickets && (
          <NavLink
            component="button"
            label={t('tickets.nav.tickets')}
            leftSection={<IconTicket size={18} />}
            defaultOpened
            childrenOffset={28}
            active={false}
          >
            <NavLink
              component={Link}
              to="/tickets?status=unresolved"
              label={t('tickets.nav.unresolved')}
              leftSection={<IconInbox size={16} />}
              active={onTickets && ticketFilter === 'unresolved'}
              onClick={close}
            />
            <NavLink
              component={Link}
              to="/tickets?status=all"
              label={t('tickets.nav.all')}
              leftSection={<IconListDetails size={16} />}
              active={onTickets && ticketFilter === 'all'}
              onClick={close}
            />
          </NavLink>
        )}
        <NavLink
          component="button"
          label={t('nav.customers')}
          leftSection={<IconUsers size={18} />}
          defaultOpened
          childrenOffset={28}
          active={false}
        >
          <NavLink
            component={Link}
            to="/customers?status=active"
            label={t('nav.active')}
            leftSection={<IconUserCheck size={16} />}
            active={onCustomers && status === 'active'}
            onClick={close}
          />
          <NavLink
            component={Link}
            to="/customers?status=deactivated"
            label={t('nav.deactivated')}
            leftSection={<IconUserOff size={16} />}
            active={onCustomers && status === 'deactivated'}
            onClick={close}
          />
          <NavLink
            component={Link}
            to="/customers/deleted"
            label={t('erasure.deletedTitle')}
            leftSection={<IconUserX size={16} />}
            active={location.pathname === '/customers/deleted'}
            onClick={close}
          />
          <NavLink
            component={Link}
            to="/customers/duplicates"
            label={t('duplicates.title')}
            leftSection={<IconFriends size={16} />}
            // The count is described, not named: the link stays "Possible duplicates" however
            // many there are.
            aria-describedby={duplicateCount > 0 ? 'duplicate-count' : undefined}
            rightSection={
              duplicateCount > 0 ? (
                <Badge size="sm" color="orange" circle={duplicateCount < 10} aria-hidden>
                  {duplicateCountCapped ? `${duplicateCount}+` : duplicateCount}
                </Badge>
              ) : null
            }
            active={location.pathname === '/customers/duplicates'}
            onClick={close}
          />
          {duplicateCount > 0 && (
            <span id="duplicate-count" hidden>
              {t('duplicates.openCount', { count: duplicateCount })}
            </span>
          )}
          {canImport && (
            <NavLink
              component={Link}
              to="/customers/import"
              label={t('imports.action')}
              leftSection={<IconFileImport size={16} />}
              active={location.pathname === '/customers/import'}
              onClick={close}
            />
          )}
        </NavLink>
        <NavLink
          component={Link}
          to="/organizations"
          label={t('nav.organizations')}
          leftSection={<IconBuilding size={18} />}
          active={onOrganizations}
          onClick={close}
        />
        {adminLinks.length > 0 && (
          <NavLink
            component="button"
            label={t('nav.administration')}
            leftSection={<IconSettings size={18} />}
            defaultOpened={location.pathname.startsWith('/admin')}
            childrenOffset={28}
            active={false}
          >
            {adminLinks.map(({ to, label, icon: Icon }) => (
              <NavLink
                key={to}
                component={Link}
                to={to}
                label={label}
                leftSection={<Icon size={16} />}
                active={location.pathname === to}
                onClick={close}
              />
            ))}
          </NavLink>
        )}
      </AppShell.Navbar>

      <AppShell.Main bg="gray.0">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
