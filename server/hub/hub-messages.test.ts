// Every sentence the Hub's sign-in can show a person has its Norwegian Bokmål rule
// (web/i18n/server-message-rules.ts) and both resources: the problems' titles and details as
// the server builds them, and the field messages a console older than their codes shows.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en, nb } from '../../web/i18n/resources.ts';
import { translateServerMessage } from '../../web/i18n/server-message-rules.ts';
import { invalidCredentials } from './hub-auth.service.ts';
import { invalidLink } from './hub-links.service.ts';
import { hubNotFound } from './hub-site.ts';

const SENTENCES = [
  ...[hubNotFound(), invalidCredentials(), invalidLink()].flatMap((e) => [e.title, e.message]),
  'Too many failed sign-ins',
  'Too many failed sign-ins; try again later',
  'Registration closed',
  'This Customer Hub does not take registrations',
  'Customer Hub is off',
  'Turn the Customer Hub on for the account before inviting customers',
  'No email address',
  'The customer has no email address to send the invitation to',
  'Sign in to the Customer Hub',
  'enter your current password',
  'not your current password',
  'choose a password',
];

describe('Customer Hub sign-in sentences', () => {
  it('each has a Norwegian rule and an English resource', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      resources: { en: { translation: en }, nb: { translation: nb } },
      lng: 'nb',
      fallbackLng: false,
      interpolation: { escapeValue: false },
      parseMissingKeyHandler: (key) => `MISSING ${key}`,
    });
    for (const sentence of SENTENCES) {
      const norwegian = translateServerMessage(sentence, i18n.t);
      expect(norwegian, sentence).not.toBe(sentence);
      expect(norwegian, sentence).not.toMatch(/^MISSING/);
      await i18n.changeLanguage('en');
      expect(translateServerMessage(sentence, i18n.t).toLowerCase(), sentence).toBe(
        sentence.toLowerCase(),
      );
      await i18n.changeLanguage('nb');
    }
  });
});
