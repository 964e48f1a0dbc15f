// Entry point of the Customer Hub (/hub): the console's component library and theme, its own
// i18n instance (hub/i18n), react-query, and the router under /hub. A session that ends on the
// server (access switched off, signed out elsewhere) sends the customer back to sign in.
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useMemo, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { ApiError } from '../api/client.ts';
import { hubKeys } from './api.ts';
import { HubApp } from './HubApp.tsx';
import { hubI18n, useHubT } from './i18n/index.ts';
import { kundeCssVariables, kundeTheme } from '../theme.ts';

function ThemeProvider({ children }: { children: ReactNode }) {
  const { t } = useHubT();
  const theme = useMemo(() => kundeTheme(t('app.close'), t('app.togglePassword')), [t]);
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={kundeCssVariables}
      defaultColorScheme="light"
    >
      {children}
    </MantineProvider>
  );
}

function onApiError(error: unknown) {
  if (error instanceof ApiError && error.status === 401 && error.code === 'unauthenticated') {
    queryClient.setQueryData(hubKeys.me, null);
  }
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status > 0) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('hub/index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={hubI18n} defaultNS="hub">
      <ThemeProvider>
        <Notifications position="bottom-center" />
        <QueryClientProvider client={queryClient}>
          <BrowserRouter basename="/hub">
            <HubApp />
          </BrowserRouter>
        </QueryClientProvider>
      </ThemeProvider>
    </I18nextProvider>
  </StrictMode>,
);
