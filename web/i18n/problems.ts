// Error responses in the console's language, by their stable code (common/problem-codes.ts,
// resources problemCodes.<code>). A sentence rule (server-message-rules.ts) that knows the
// detail still goes first, because it keeps what the detail names (the email that is taken, how
// many agents have the role); the code gives every other problem its text, so no problem the
// server can answer with is shown in English. Pure, so a plain Node test checks every code.
import type { TFunction } from 'i18next';
import { isProblemCode } from '../../common/problem-codes.ts';
import { translateServerMessage } from './server-message-rules.ts';

/** The part of a problem+json body the console reads. */
export interface ServerProblem {
  code: string;
  detail: string;
}

export function translateProblem(problem: ServerProblem, t: TFunction): string {
  if (problem.detail) {
    const byRule = translateServerMessage(problem.detail, t);
    if (byRule !== problem.detail) return byRule;
  }
  if (isProblemCode(problem.code)) return t(`problemCodes.${problem.code}`);
  // A code this console does not know (a newer server): the server's own words.
  return problem.detail || problem.code;
}
