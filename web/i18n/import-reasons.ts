// An import's row reasons in the console's language, by their stable code (common/
// import-reasons.ts, resources importReasons.<code>; a refused cell's field error code, resources
// fieldErrors.<code>) and params: from the row error's code where the API sent one, else read
// back out of the sentence (the machine error report the console reads carries only the
// sentence), else through the sentence rules. Pure, so a plain Node test
// (e2e/message-codes.test.ts) checks every code's strings.
import type { TFunction } from 'i18next';
import { isFieldErrorCode } from '../../common/field-error-codes.ts';
import {
  isImportReasonCode,
  paramsIn,
  readImportReason,
  type ImportReasonParams,
} from '../../common/import-reasons.ts';
import type { Locale } from '../../common/settings.ts';
import { translateServerMessage } from './server-message-rules.ts';

/** A row's reason as the import reports it; code and params where the API gave them. */
export interface ServerImportReason {
  reason: string;
  code?: string;
  params?: ImportReasonParams;
}

export function translateImportReason(
  problem: ServerImportReason,
  t: TFunction,
  language: Locale = 'nb',
): string {
  if (isFieldErrorCode(problem.code))
    return t(`fieldErrors.${problem.code}`, { ...problem.params });
  const coded = isImportReasonCode(problem.code)
    ? { code: problem.code, params: problem.params ?? {} }
    : readImportReason(problem.reason);
  if (coded) return t(`importReasons.${coded.code}`, { ...paramsIn(language, coded.params) });
  return translateServerMessage(problem.reason, t);
}
