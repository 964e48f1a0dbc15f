// The server's words in the console's language. Field errors carry a stable code: other
// languages translate by it (field-errors.ts). English agents see the server's own English
// message, which is the more specific ("Tier is required", the options named). Other sentences
// (problem details, inbound mail reasons, import reports) go through the rules in
// server-message-rules.ts; anything unknown is shown as the server wrote it rather than hidden.
import type { TFunction } from 'i18next';
import { translateFieldError, type ServerFieldError } from './field-errors.ts';
import { currentLocale } from './index.ts';
import { translateImportReason, type ServerImportReason } from './import-reasons.ts';
import { translateProblem, type ServerProblem } from './problems.ts';
import { translateServerMessage } from './server-message-rules.ts';

export function localizeFieldError(error: ServerFieldError, t: TFunction): string {
  if (currentLocale() === 'en') return error.message;
  return translateFieldError(error, t);
}

export function localizeServerMessage(message: string, t: TFunction): string {
  if (currentLocale() === 'en') return message;
  return translateServerMessage(message, t);
}

/** An error response: English agents read the server's detail, others its code's text. */
export function localizeProblem(problem: ServerProblem, t: TFunction): string {
  if (currentLocale() === 'en' && problem.detail) return problem.detail;
  return translateProblem(problem, t);
}

/** A row an import did not take: why, in the agent's language. */
export function localizeImportReason(problem: ServerImportReason, t: TFunction): string {
  const language = currentLocale();
  if (language === 'en') return problem.reason;
  return translateImportReason(problem, t, language);
}
