// The console's pages that are fetched only when an agent opens them (React.lazy, one chunk per
// page): the customer list, the page an agent lands on, must not download the import, ticket,
// organization and administration pages first (issue 16: the first load under 400 KB of
// compressed JavaScript). App.tsx imports them from here as it would import the pages themselves.
// A chunk that cannot be fetched (the console was updated and the old file is gone, or the
// network dropped) shows a message with Reload instead of a blank page.
import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import { Component, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center p="xl">
      <Loader aria-label={t('app.loading')} />
    </Center>
  );
}

function ChunkFailed() {
  const { t } = useTranslation();
  return (
    <Center p="xl">
      <Stack maw={480}>
        <Alert color="red" title={t('lazyPage.failedTitle')}>
          {t('lazyPage.failed')}
        </Alert>
        <Button variant="default" onClick={() => window.location.reload()}>
          {t('lazyPage.reload')}
        </Button>
      </Stack>
    </Center>
  );
}

/** Catches a failed chunk fetch (a rejected lazy import), not the page's own render errors. */
class ChunkBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (error === undefined) return this.props.children;
    // Anything else goes on to whatever handled it before pages were lazy.
    if (!isChunkLoadError(error)) throw error;
    return <ChunkFailed />;
  }
}

class ChunkLoadError extends Error {}

function isChunkLoadError(error: unknown): boolean {
  return error instanceof ChunkLoadError;
}

/** A page component whose module is imported on first render, behind a loader. */
function lazyPage<Name extends string>(
  load: () => Promise<Record<Name, ComponentType>>,
  name: Name,
): ComponentType {
  const Page = lazy<ComponentType>(() =>
    load().then(
      (module) => ({ default: module[name] }),
      (error: unknown) => {
        throw new ChunkLoadError(error instanceof Error ? error.message : String(error));
      },
    ),
  );
  function LazyPage() {
    return (
      <ChunkBoundary>
        <Suspense fallback={<PageLoader />}>
          <Page />
        </Suspense>
      </ChunkBoundary>
    );
  }
  LazyPage.displayName = name;
  return LazyPage;
}

export const SetupPage = lazyPage(() => import('./SetupPage.tsx'), 'SetupPage');
export const SetPasswordPage = lazyPage(() => import('./SetPasswordPage.tsx'), 'SetPasswordPage');
export const CustomerPage = lazyPage(() => import('./CustomerPage.tsx'), 'CustomerPage');
export const ImportPage = lazyPage(() => import('./imports/ImportPage.tsx'), 'ImportPage');
export const DeletedCustomersPage = lazyPage(
  () => import('./erasure/DeletedCustomersPage.tsx'),
  'DeletedCustomersPage',
);
export const DuplicatesPage = lazyPage(
  () => import('./duplicates/DuplicatesPage.tsx'),
  'DuplicatesPage',
);
export const TicketsPage = lazyPage(() => import('./tickets/TicketsPage.tsx'), 'TicketsPage');
export const TicketPage = lazyPage(() => import('./tickets/TicketPage.tsx'), 'TicketPage');
export const OrganizationsPage = lazyPage(
  () => import('./organizations/OrganizationsPage.tsx'),
  'OrganizationsPage',
);
export const OrganizationPage = lazyPage(
  () => import('./organizations/OrganizationPage.tsx'),
  'OrganizationPage',
);
export const ContractPage = lazyPage(() => import('./contracts/ContractPage.tsx'), 'ContractPage');
export const CustomerSettingsPage = lazyPage(
  () => import('./admin/CustomerSettingsPage.tsx'),
  'CustomerSettingsPage',
);
export const HubSettingsPage = lazyPage(
  () => import('./admin/HubSettingsPage.tsx'),
  'HubSettingsPage',
);
export const CustomFieldsPage = lazyPage(
  () => import('./admin/CustomFieldsPage.tsx'),
  'CustomFieldsPage',
);
export const CustomerTypesPage = lazyPage(
  () => import('./admin/CustomerTypesPage.tsx'),
  'CustomerTypesPage',
);
export const DetailPanelPage = lazyPage(
  () => import('./admin/DetailPanelPage.tsx'),
  'DetailPanelPage',
);
export const AgentsPage = lazyPage(() => import('./admin/AgentsPage.tsx'), 'AgentsPage');
export const RolesPage = lazyPage(() => import('./admin/RolesPage.tsx'), 'RolesPage');
export const TeamsPage = lazyPage(() => import('./admin/TeamsPage.tsx'), 'TeamsPage');
export const OutboxPage = lazyPage(() => import('./admin/OutboxPage.tsx'), 'OutboxPage');
export const InboundMailPage = lazyPage(
  () => import('./admin/InboundMailPage.tsx'),
  'InboundMailPage',
);
export const WebhooksPage = lazyPage(() => import('./admin/WebhooksPage.tsx'), 'WebhooksPage');
export const AccountSettingsPage = lazyPage(
  () => import('./admin/AccountSettingsPage.tsx'),
  'AccountSettingsPage',
);
export const ProfilePage = lazyPage(() => import('./profile/ProfilePage.tsx'), 'ProfilePage');
export const ForgotPasswordPage = lazyPage(
  () => import('./ForgotPasswordPage.tsx'),
  'ForgotPasswordPage',
);
