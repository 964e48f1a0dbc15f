// Who is logged in: the session context, permission checks, login/logout and the language switch
// (which also tells the server, so the agent's choice follows them to the next browser).
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext } from 'react';
import type { Session } from '../../common/auth.ts';
import type { Permission } from '../../common/permissions.ts';
import type { Locale } from '../../common/settings.ts';
import { keys, sessionApi } from '../api/kunde.ts';
import { applyLocale, rememberChoiceBeforeLogin, takeChoiceBeforeLogin } from '../i18n/index.ts';

export const SessionContext = createContext<Session | null>(null);

/** The current session; only for pages behind RequireSession. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a logged-in page');
  return session;
}

export function useCan(permission: Permission): boolean {
  const session = useContext(SessionContext);
  return session?.permissions.includes(permission) ?? false;
}

/**
 * Stores a fresh session (after login or setup) and shows its language: one chosen on the login
 * page before it wins and is saved to the agent's profile first, so that neither this login nor
 * the next reload brings back the old one (the order is in i18n/index.ts).
 */
export function useAdoptSession(): (session: Session) => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(
    async (fresh: Session) => {
      let session = fresh;
      const chosen = takeChoiceBeforeLogin();
      if (chosen && chosen !== session.user.locale) {
        try {
          session = await sessionApi.setLocale(chosen);
        } catch {
          // Not saved (the server refused or is gone): the agent's saved language stands.
        }
      }
      queryClient.removeQueries({ queryKey: keys.customers });
      queryClient.setQueryData(keys.session, session);
      queryClient.setQueryData(keys.setup, { needed: false });
      await applyLocale(session.user.locale);
    },
    [queryClient],
  );
}

export function useLogout(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    try {
      await sessionApi.logout();
    } finally {
      queryClient.removeQueries({ queryKey: keys.customers });
      queryClient.setQueryData(keys.session, null);
    }
  }, [queryClient]);
}

/** Switches language now, and remembers it on the server when someone is logged in. */
export function useSwitchLocale(): (locale: Locale) => Promise<void> {
  const queryClient = useQueryClient();
  const session = useContext(SessionContext);
  return useCallback(
    async (locale: Locale) => {
      await applyLocale(locale);
      if (!session) rememberChoiceBeforeLogin(locale);
      else if (session.user.locale !== locale) {
        const updated = await sessionApi.setLocale(locale);
        queryClient.setQueryData(keys.session, updated);
      }
    },
    [queryClient, session],
  );
}
