// The console's routes, and the gates in front of them: first-run setup, then login.
import { Button, Center, Loader, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { keys, sessionApi, setupApi } from '../api/kunde.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { applyLocale } from '../i18n/index.ts';
import { CustomersPage } from './CustomersPage.tsx';
// Every page but the customer list (where an agent lands) and login is fetched when opened.
import {
  AgentsPage,
  ContractPage,
  CustomFieldsPage,
  CustomerPage,
  CustomerSettingsPage,
  CustomerTypesPage,
  DeletedCustomersPage,
  DetailPanelPage,
  DuplicatesPage,
  AccountSettingsPage,
  ForgotPasswordPage,
  HubSettingsPage,
  ImportPage,
  InboundMailPage,
  OrganizationPage,
  OrganizationsPage,
  OutboxPage,
  ProfilePage,
  RolesPage,
  SetPasswordPage,
  SetupPage,
  TeamsPage,
  TicketPage,
  TicketsPage,
  WebhooksPage,
} from './lazy-pages.tsx';
import { ConsoleLayout } from './ConsoleLayout.tsx';
import { LoginPage } from './LoginPage.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { SessionContext } from './session.tsx';

function FullPageLoader() {
  const { t } = useTranslation();
  return (
    <Center h="100vh">
      <Loader aria-label={t('app.loading')} />
    </Center>
  );
}

function FullPageError({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = useTranslation();
  return (
    <Center h="100vh" p="md">
      <Stack maw={480}>
        <ErrorAlert error={error} />
        <Button variant="default" onClick={retry}>
          {t('app.retry')}
        </Button>
      </Stack>
    </Center>
  );
}

/**
 * Loads whether setup is needed and who is logged in, before any page decides where to go. Both
 * at once, not one after the other: the second round trip was most of the wait before a page. (Before
 * setup the session answers "nobody", which setup then replaces.)
 */
function useBoot() {
  const setup = useQuery({ queryKey: keys.setup, queryFn: setupApi.status, staleTime: Infinity });
  const session = useQuery({
    queryKey: keys.session,
    queryFn: sessionApi.current,
    staleTime: Infinity,
  });
  return { setup, session };
}

function Gate({ page }: { page: 'setup' | 'login' | 'console' }): ReactNode {
  const { setup, session } = useBoot();
  const location = useLocation();
  const syncedUser = useRef<string | null>(null);
  const user = session.data?.user;

  // The agent's saved language wins over this browser's, once per login.
  useEffect(() => {
    if (user && syncedUser.current !== user.id) {
      syncedUser.current = user.id;
      void applyLocale(user.locale);
    }
  }, [user]);

  if (setup.isError)
    return <FullPageError error={setup.error} retry={() => void setup.refetch()} />;
  if (!setup.data) return <FullPageLoader />;
  if (setup.data.needed) return page === 'setup' ? <SetupPage /> : <Navigate to="/setup" replace />;
  if (page === 'setup') return <Navigate to="/login" replace />;

  if (session.isError) {
    return <FullPageError error={session.error} retry={() => void session.refetch()} />;
  }
  if (session.data === undefined) return <FullPageLoader />;
  if (page === 'login') {
    if (!session.data) return <LoginPage />;
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from && from !== '/login' ? from : '/customers'} replace />;
  }
  if (!session.data) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return (
    <SessionContext value={session.data}>
      <ConsoleLayout />
    </SessionContext>
  );
}

export function App() {
  return (
    <Routes>
      <Route path="/setup" element={<Gate page="setup" />} />
      <Route path="/login" element={<Gate page="login" />} />
      <Route path="/set-password" element={<SetPasswordPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route element={<Gate page="console" />}>
        <Route index element={<Navigate to="/customers" replace />} />
        <Route path="tickets" element={<TicketsPage />} />
        <Route path="tickets/:id" element={<TicketPage />} />
        <Route path="customers" element={<CustomersPage />} />
        <Route path="customers/import" element={<ImportPage />} />
        <Route path="customers/deleted" element={<DeletedCustomersPage />} />
        <Route path="customers/duplicates" element={<DuplicatesPage />} />
        <Route path="customers/:id" element={<CustomerPage />} />
        <Route path="organizations" element={<OrganizationsPage />} />
        <Route path="organizations/:id" element={<OrganizationPage />} />
        <Route path="contracts/:id" element={<ContractPage />} />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="admin/account" element={<AccountSettingsPage />} />
        <Route path="admin/customers" element={<CustomerSettingsPage />} />
        <Route path="admin/customer-hub" element={<HubSettingsPage />} />
        <Route path="admin/custom-fields" element={<CustomFieldsPage />} />
        <Route path="admin/customer-types" element={<CustomerTypesPage />} />
        <Route path="admin/detail-panel" element={<DetailPanelPage />} />
        <Route path="admin/agents" element={<AgentsPage />} />
        <Route path="admin/roles" element={<RolesPage />} />
        <Route path="admin/teams" element={<TeamsPage />} />
        <Route path="admin/outbox" element={<OutboxPage />} />
        <Route path="admin/inbound-mail" element={<InboundMailPage />} />
        <Route path="admin/webhooks" element={<WebhooksPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
