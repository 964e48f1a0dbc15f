// Where the Hub stands: the site (the account's Hub at /hub/<slug>, read before anyone signs in)
// and the signed-in customer (GET /me, null after a 401). The language follows the customer once
// signed in, the browser's own choice before, else the site's default.
import { Center, Loader } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, type ReactNode } from 'react';
import { Navigate, Outlet, useParams } from 'react-router';
import type { HubMe, HubSite } from '../../common/hub.ts';
import type { Locale } from '../../common/settings.ts';
import { ApiError } from '../api/client.ts';
import { hubApi, hubKeys } from './api.ts';
import { HubErrorAlert } from './components/HubError.tsx';
import { PublicFrame } from './components/PublicFrame.tsx';
import { showLocale, storedLocale, useHubT } from './i18n/index.ts';

const SiteContext = createContext<HubSite | null>(null);
const MeContext = createContext<HubMe | null>(null);

export function useSite(): HubSite {
  const site = useContext(SiteContext);
  if (!site) throw new Error('useSite outside /hub/:slug');
  return site;
}

/** The signed-in customer; only for pages behind RequireCustomer. */
export function useMe(): HubMe {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside a signed-in page');
  return me;
}

/** The customer signed in to this site, null when nobody is (undefined while loading). */
export function useMeQuery(slug: string) {
  const me = useQuery({ queryKey: hubKeys.me, queryFn: hubApi.me, staleTime: 30_000 });
  const data = me.data === undefined ? undefined : me.data?.account.slug === slug ? me.data : null;
  return { ...me, data };
}

function Loading() {
  const { t } = useHubT();
  return (
    <Center mih="60vh" aria-label={t('app.loading')}>
      <Loader />
    </Center>
  );
}

function SiteNotFound() {
  const { t } = useHubT();
  return (
    <PublicFrame accountName="Kunde" title={t('site.notFoundTitle')}>
      {t('site.notFound')}
    </PublicFrame>
  );
}

/** Loads the site; its default language applies unless this browser chose one. */
function SiteGate({ slug, children }: { slug: string | undefined; children: ReactNode }) {
  const site = useQuery({ queryKey: hubKeys.site(slug), queryFn: () => hubApi.site(slug) });
  const defaultLocale = site.data?.defaultLocale;
  useEffect(() => {
    if (defaultLocale && !storedLocale()) void showLocale(defaultLocale, false);
  }, [defaultLocale]);
  if (site.isPending) return <Loading />;
  if (site.isError) {
    if (site.error instanceof ApiError && site.error.status === 404) return <SiteNotFound />;
    return (
      <PublicFrame accountName={'Kunde'} title="">
        <HubErrorAlert error={site.error} />
      </PublicFrame>
    );
  }
  return <SiteContext.Provider value={site.data}>{children}</SiteContext.Provider>;
}

/** /hub: the installation's one Hub, at its own address. */
export function OneSite() {
  return (
    <SiteGate slug={undefined}>
      <GoToSite />
    </SiteGate>
  );
}

function GoToSite() {
  const site = useSite();
  return <Navigate to={`/${site.slug}${window.location.search}`} replace />;
}

/** /hub/:slug and everything under it. */
export function SiteScope() {
  const { slug } = useParams();
  return (
    <SiteGate slug={slug}>
      <Outlet />
    </SiteGate>
  );
}

/** The pages of a signed-in customer; anyone else goes to the sign-in page. */
export function RequireCustomer({ children }: { children: ReactNode }) {
  const site = useSite();
  const me = useMeQuery(site.slug);
  const locale = me.data?.customer.locale;
  useEffect(() => {
    if (locale) void showLocale(locale, true);
  }, [locale]);
  if (me.isPending) return <Loading />;
  if (me.isError) {
    return (
      <PublicFrame accountName={site.accountName} title="">
        <HubErrorAlert error={me.error} />
      </PublicFrame>
    );
  }
  if (!me.data) return <Navigate to={`/${site.slug}`} replace />;
  return <MeContext.Provider value={me.data}>{children}</MeContext.Provider>;
}

/** After a sign-in (password or link): the customer is known, in their own language. */
export function useAdoptCustomer(): (me: HubMe) => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(
    async (me: HubMe) => {
      queryClient.removeQueries({ queryKey: hubKeys.tickets });
      queryClient.setQueryData(hubKeys.me, me);
      await showLocale(me.customer.locale, true);
    },
    [queryClient],
  );
}

export function useSignOut(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    try {
      await hubApi.signOut();
    } finally {
      queryClient.removeQueries({ queryKey: hubKeys.tickets });
      queryClient.setQueryData(hubKeys.me, null);
    }
  }, [queryClient]);
}

/** Switches language now; a signed-in customer's choice is kept by the server as well. */
export function useSwitchLocale(): (locale: Locale) => Promise<void> {
  const queryClient = useQueryClient();
  const me = useContext(MeContext);
  return useCallback(
    async (locale: Locale) => {
      await showLocale(locale, true);
      if (me && me.customer.locale !== locale) {
        const updated = await hubApi.updateMe({ locale });
        queryClient.setQueryData(hubKeys.me, updated);
      }
    },
    [queryClient, me],
  );
}
