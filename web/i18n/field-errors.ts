// Field errors in the console's language, by their stable code (common/field-error-codes.ts) and
// params: resource fieldErrors.<code> in en.json and nb.json. A code this console does not know
// (a newer server) falls back to the English message, through the sentence rules where one
// matches. Pure, so a plain Node test (e2e/server-messages.test.ts) checks every code's strings.
import type { TFunction } from 'i18next';
import { isFieldErrorCode } from '../../common/field-error-codes.ts';
import { translateServerMessage } from './server-message-rules.ts';

/** A field error as the server sends it; code and params are absent from servers before them. */
export interface ServerFieldError {
  code?: string;
  params?: Record<string, string | number>;
  message: string;
}

export function translateFieldError(error: ServerFieldError, t: TFunction): string {
  if (isFieldErrorCode(error.code)) return t(`fieldErrors.${error.code}`, { ...error.params });
  return translateServerMessage(error.message, t);
}
