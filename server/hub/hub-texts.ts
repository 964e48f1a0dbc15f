// The emails a customer gets from the Customer Hub, in English and Norwegian Bokmål (the
// customer's Hub language, else the account's default): a one-time sign-in link, a set-password
// link (a reset they asked for, or an agent's invitation) and a registration's confirmation.
import type { Locale } from '../../common/settings.ts';

export type HubMailKind = 'sign_in' | 'password' | 'invitation' | 'register';

interface HubMailInput {
  name: string;
  accountName: string;
  link: string;
  expiresAt: string;
}

type Texts = Record<HubMailKind, (m: HubMailInput) => [subject: string, text: string]>;

const hello = {
  en: (name: string) => (name ? `Hello ${name},` : 'Hello,'),
  nb: (name: string) => (name ? `Hei ${name},` : 'Hei,'),
};

const TEXTS: Record<Locale, Texts> = {
  en: {
    sign_in: (m) => [
      `Sign in to ${m.accountName}'s Customer Hub`,
      `${hello.en(m.name)}\n\nSign in to ${m.accountName}'s Customer Hub with this link:\n\n${m.link}\n\n` +
        `The link works once and until ${m.expiresAt} (UTC). If you did not ask for it, ignore this email.\n`,
    ],
    password: (m) => [
      `Choose a new password for ${m.accountName}'s Customer Hub`,
      `${hello.en(m.name)}\n\nChoose a new password for ${m.accountName}'s Customer Hub here:\n\n${m.link}\n\n` +
        `The link works once and until ${m.expiresAt} (UTC). If you did not ask for it, ignore this email; ` +
        `your password stays as it is.\n`,
    ],
    invitation: (m) => [
      `You are invited to ${m.accountName}'s Customer Hub`,
      `${hello.en(m.name)}\n\n${m.accountName} invites you to its Customer Hub, where you can follow ` +
        `your requests and raise new ones. Choose your password here:\n\n${m.link}\n\n` +
        `The link works once and until ${m.expiresAt} (UTC).\n`,
    ],
    register: (m) => [
      `Confirm your email for ${m.accountName}'s Customer Hub`,
      `${hello.en(m.name)}\n\nConfirm your email address to finish registering for ${m.accountName}'s ` +
        `Customer Hub:\n\n${m.link}\n\nThe link works once and until ${m.expiresAt} (UTC). ` +
        `If you did not register, ignore this email; nothing has been created.\n`,
    ],
  },
  nb: {
    sign_in: (m) => [
      `Logg inn på kundeportalen til ${m.accountName}`,
      `${hello.nb(m.name)}\n\nLogg inn på kundeportalen til ${m.accountName} med denne lenken:\n\n${m.link}\n\n` +
        `Lenken virker én gang og til ${m.expiresAt} (UTC). Har du ikke bedt om den, kan du se bort fra denne e-posten.\n`,
    ],
    password: (m) => [
      `Velg et nytt passord for kundeportalen til ${m.accountName}`,
      `${hello.nb(m.name)}\n\nVelg et nytt passord for kundeportalen til ${m.accountName} her:\n\n${m.link}\n\n` +
        `Lenken virker én gang og til ${m.expiresAt} (UTC). Har du ikke bedt om den, kan du se bort fra ` +
        `denne e-posten; passordet ditt forblir som det er.\n`,
    ],
    invitation: (m) => [
      `Du er invitert til kundeportalen til ${m.accountName}`,
      `${hello.nb(m.name)}\n\n${m.accountName} inviterer deg til kundeportalen sin, der du kan følge ` +
        `henvendelsene dine og sende nye. Velg passordet ditt her:\n\n${m.link}\n\n` +
        `Lenken virker én gang og til ${m.expiresAt} (UTC).\n`,
    ],
    register: (m) => [
      `Bekreft e-postadressen din for kundeportalen til ${m.accountName}`,
      `${hello.nb(m.name)}\n\nBekreft e-postadressen din for å fullføre registreringen i kundeportalen til ` +
        `${m.accountName}:\n\n${m.link}\n\nLenken virker én gang og til ${m.expiresAt} (UTC). ` +
        `Har du ikke registrert deg, kan du se bort fra denne e-posten; ingenting er opprettet.\n`,
    ],
  },
};

export function hubEmail(
  locale: Locale,
  kind: HubMailKind,
  input: HubMailInput,
): { subject: string; text: string } {
  const [subject, text] = TEXTS[locale][kind](input);
  return { subject, text };
}
