// The server's field errors are English sentences (FieldError has no code yet). English agents see
// them as sent, with their detail; for other languages the common ones are translated by the
// rules in server-message-rules.ts, and anything unknown is shown as the server wrote it rather
// than hidden.
import type { TFunction } from 'i18next';
import { currentLocale } from './index.ts';
import { translateServerMessage } from './server-message-rules.ts';

export function localizeServerMessage(message: string, t: TFunction): string {
  if (currentLocale() === 'en') return message;
  return translateServerMessage(message, t);
}
