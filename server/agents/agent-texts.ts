// The emails an agent reads about their password, in English and Norwegian Bokmål (the agent's
// own language): the invitation to a new account, an administrator's password reset and the link
// the agent asked for on the "Forgot password" page. Each
// carries the set-password link; the token is in the fragment (#), which browsers never send to
// a server, so it stays out of access logs until the page hands it to the API.
import type { PasswordTokenPurpose } from '../../common/agents.ts';

type Locale = 'en' | 'nb';

interface PasswordMailInput {
  name: string;
  accountName: string;
  link: string;
  expiresAt: string;
}

/** Which mail: a link's purpose, or 'forgot' (a reset the agent asked for themselves). */
export type PasswordMailKind = PasswordTokenPurpose | 'forgot';

const TEXTS: Record<Locale, Record<PasswordMailKind, (m: PasswordMailInput) => string[]>> = {
  en: {
    invite: (m) => [
      `You are invited to Kunde for ${m.accountName}`,
      `Hello ${m.name},\n\nYou have been given an agent account in Kunde for ${m.accountName}.\n` +
        `Choose your password here:\n\n${m.link}\n\n` +
        `The link works once and until ${m.expiresAt} (UTC).\n`,
    ],
    reset: (m) => [
      `Set a new Kunde password for ${m.accountName}`,
      `Hello ${m.name},\n\nAn administrator of ${m.accountName} asked Kunde to let you set a new ` +
        `password. Choose it here:\n\n${m.link}\n\n` +
        `The link works once and until ${m.expiresAt} (UTC). Your current password works until ` +
        `you set the new one; then every console session of yours ends.\n`,
    ],
    forgot: (m) => [
      `Set a new Kunde password for ${m.accountName}`,
      `Hello ${m.name},\n\nSomeone (we hope you) asked Kunde for a new password for your agent ` +
        `account at ${m.accountName}. Choose it here:\n\n${m.link}\n\n` +
        `The link works once and until ${m.expiresAt} (UTC). If you did not ask, ignore this ` +
        `email: your password stays as it is.\n`,
    ],
  },
  nb: {
    invite: (m) => [
      `Du er invitert til Kunde for ${m.accountName}`,
      `Hei ${m.name},\n\nDu har fått en agentkonto i Kunde for ${m.accountName}.\n` +
        `Velg passordet ditt her:\n\n${m.link}\n\n` +
        `Lenken virker én gang og til ${m.expiresAt} (UTC).\n`,
    ],
    reset: (m) => [
      `Velg et nytt Kunde-passord for ${m.accountName}`,
      `Hei ${m.name},\n\nEn administrator for ${m.accountName} har bedt Kunde om å la deg velge ` +
        `et nytt passord. Velg det her:\n\n${m.link}\n\n` +
        `Lenken virker én gang og til ${m.expiresAt} (UTC). Det nåværende passordet virker til ` +
        `du har valgt et nytt; da avsluttes alle øktene dine i konsollen.\n`,
    ],
    forgot: (m) => [
      `Velg et nytt Kunde-passord for ${m.accountName}`,
      `Hei ${m.name},\n\nNoen (forhåpentlig du) har bedt Kunde om et nytt passord til ` +
        `agentkontoen din hos ${m.accountName}. Velg det her:\n\n${m.link}\n\n` +
        `Lenken virker én gang og til ${m.expiresAt} (UTC). Har du ikke bedt om det, kan du se ` +
        `bort fra denne e-posten: passordet ditt forblir som det er.\n`,
    ],
  },
};

export function passwordEmail(
  locale: string,
  purpose: PasswordMailKind,
  input: PasswordMailInput,
): { subject: string; text: string } {
  const [subject = '', text = ''] = TEXTS[locale === 'nb' ? 'nb' : 'en'][purpose](input);
  return { subject, text };
}
