// The Customer Hub's routes (basename /hub): the site's public pages under /:slug, the signed-in
// customer's behind RequireCustomer. Plain /hub goes to the installation's one site.
import { Navigate, Route, Routes } from 'react-router';
import { HubLayout } from './components/HubLayout.tsx';
import { ForgotPasswordPage, RegisterPage } from './pages/EmailRequestPages.tsx';
import { LinkPage, SetPasswordPage } from './pages/LinkPages.tsx';
import { NewTicketPage } from './pages/NewTicketPage.tsx';
import { ProfilePage } from './pages/ProfilePage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { TicketPage } from './pages/TicketPage.tsx';
import { TicketsPage } from './pages/TicketsPage.tsx';
import { OneSite, RequireCustomer, SiteScope } from './session.tsx';
import type { ReactNode } from 'react';

function SignedIn({ children }: { children: ReactNode }) {
  return (
    <RequireCustomer>
      <HubLayout>{children}</HubLayout>
    </RequireCustomer>
  );
}

export function HubApp() {
  return (
    <Routes>
      <Route index element={<OneSite />} />
      <Route path=":slug" element={<SiteScope />}>
        <Route index element={<SignInPage />} />
        <Route path="link" element={<LinkPage />} />
        <Route path="password" element={<SetPasswordPage />} />
        <Route path="forgot" element={<ForgotPasswordPage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route
          path="tickets"
          element={
            <SignedIn>
              <TicketsPage />
            </SignedIn>
          }
        />
        <Route
          path="tickets/new"
          element={
            <SignedIn>
              <NewTicketPage />
            </SignedIn>
          }
        />
        <Route
          path="tickets/:id"
          element={
            <SignedIn>
              <TicketPage />
            </SignedIn>
          }
        />
        <Route
          path="profile"
          element={
            <SignedIn>
              <ProfilePage />
            </SignedIn>
          }
        />
        <Route path="*" element={<Navigate to="." replace />} />
      </Route>
    </Routes>
  );
}
