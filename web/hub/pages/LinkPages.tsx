// The pages an emailed link opens. /link?token= (a sign-in link or a registration's confirmation)
// is redeemed at once, exactly once (links are single-use: a second call would spend nothing but
// fail), and offers to set a password when the customer has none. /password?token= (a reset or
// an invitation) asks for the new password first and redeems the link with it.
import { Anchor, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { HubMe } from '../../../common/hub.ts';
import { hubApi } from '../api.ts';
import { AccessOff } from '../components/AccessOff.tsx';
import { HubErrorAlert } from '../components/HubError.tsx';
import { PasswordForm } from '../components/PasswordForm.tsx';
import { PublicFrame } from '../components/PublicFrame.tsx';
import { useHubT } from '../i18n/index.ts';
import { useAdoptCustomer, useSite } from '../session.tsx';
import { useSignInResult } from './SignInPage.tsx';

function BackToSignIn() {
  const { t } = useHubT();
  const site = useSite();
  return (
    <Anchor component={Link} to={`/${site.slug}`} size="sm">
      {t('link.requestNew')}
    </Anchor>
  );
}

export function LinkPage() {
  const { t } = useHubT();
  const site = useSite();
  const navigate = useNavigate();
  const adopt = useAdoptCustomer();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [signedIn, setSignedIn] = useState<HubMe>();
  const { accessOff, handle } = useSignInResult();
  const redeem = useMutation({
    mutationFn: () => hubApi.redeem(token),
    onSuccess: async (result) => {
      // No password yet and passwords are in use: offer one before going in.
      if (result.status === 'signed_in' && !result.me.customer.passwordSet && site.passwordSignIn) {
        await adopt(result.me);
        setSignedIn(result.me);
        return;
      }
      await handle(result);
    },
  });
  const started = useRef(false);
  useEffect(() => {
    if (started.current || !token) return;
    started.current = true;
    redeem.mutate();
  }, [redeem, token]);
  const setPassword = useMutation({
    mutationFn: (password: string) => hubApi.changePassword(password),
    onSuccess: () => navigate(`/${site.slug}/tickets`, { replace: true }),
  });

  if (accessOff) {
    return (
      <AccessOff
        accountName={accessOff.accountName}
        supportContact={accessOff.supportContact}
        onBack={() => void navigate(`/${site.slug}`)}
      />
    );
  }
  if (signedIn) {
    return (
      <PublicFrame
        accountName={site.accountName}
        title={t('link.welcome', { name: signedIn.customer.name })}
      >
        <PasswordForm
          submitLabel="password.submit"
          pending={setPassword.isPending}
          error={setPassword.error}
          onSubmit={(password) => setPassword.mutate(password)}
        >
          <Text>{t('link.offerPassword')}</Text>
          {setPassword.isError && <HubErrorAlert error={setPassword.error} />}
        </PasswordForm>
        <Button
          variant="subtle"
          fullWidth
          mt="sm"
          onClick={() => void navigate(`/${site.slug}/tickets`, { replace: true })}
        >
          {t('link.skip')}
        </Button>
      </PublicFrame>
    );
  }
  if (!token || redeem.isError) {
    return (
      <PublicFrame accountName={site.accountName} title={t('signIn.title')}>
        <Stack>
          {redeem.isError ? (
            <HubErrorAlert error={redeem.error} />
          ) : (
            <Text>{t('link.invalid')}</Text>
          )}
          <BackToSignIn />
        </Stack>
      </PublicFrame>
    );
  }
  return (
    <PublicFrame accountName={site.accountName} title={t('link.title')}>
      <Center>
        <Loader />
      </Center>
    </PublicFrame>
  );
}

export function SetPasswordPage() {
  const { t } = useHubT();
  const site = useSite();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { accessOff, clearAccessOff, handle } = useSignInResult();
  const redeem = useMutation({
    mutationFn: (password: string) => hubApi.redeem(token, password),
    onSuccess: (result) => handle(result),
  });

  if (accessOff) {
    return (
      <AccessOff
        accountName={accessOff.accountName}
        supportContact={accessOff.supportContact}
        onBack={clearAccessOff}
      />
    );
  }
  return (
    <PublicFrame accountName={site.accountName} title={t('password.title')}>
      {token ? (
        <PasswordForm
          submitLabel="password.submit"
          pending={redeem.isPending}
          error={redeem.error}
          onSubmit={(password) => redeem.mutate(password)}
        >
          {redeem.isError && (
            <HubErrorAlert error={redeem.error}>
              <div>
                <BackToSignIn />
              </div>
            </HubErrorAlert>
          )}
        </PasswordForm>
      ) : (
        <Stack>
          <Text>{t('link.invalid')}</Text>
          <BackToSignIn />
        </Stack>
      )}
    </PublicFrame>
  );
}
