// The one text policy for everything that enters Kunde: JSON bodies, query strings, CSV cells,
// mail headers and bodies, SMS. Both databases must store exactly the same text, and PostgreSQL
// refuses NUL in text outright, so characters no person types are handled here, never per field.
//
// Two ways to apply it, chosen by the entry point:
// - refuse (`textProblem`): where a person or a client sent the value on purpose (the API, a CSV
//   cell), the value is refused with a reason naming the character, so nothing is silently changed;
// - clean (`cleanText`): where Kunde must keep what it was sent (mail, SMS), the characters are
//   removed and the original is kept elsewhere (the raw message file).
//
// Refused: C0 controls other than tab, line feed and carriage return (U+0000–U+0008, U+000B,
// U+000C, U+000E–U+001F), DEL (U+007F), and lone UTF-16 surrogates (which no encoding can store).

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\p{Cs}/u;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_ALL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\p{Cs}/gu;

/** The first character the policy refuses in `text`, or undefined when the text is acceptable. */
export function forbiddenCharacter(text: string): { char: string; index: number } | undefined {
  const match = FORBIDDEN.exec(text);
  return match ? { char: match[0], index: match.index } : undefined;
}

/** U+0000 style name of a character, for messages. */
export function codePointName(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The reason a value is refused, or undefined when it is acceptable. The sentence is stable: the
 * console translates it (web/i18n/server-messages.ts).
 */
export function textProblem(text: string): string | undefined {
  const found = forbiddenCharacter(text);
  return found ? `contains a control character (${codePointName(found.char)})` : undefined;
}

/** The text with every refused character removed. Returns the same string when nothing changes. */
export function cleanText(text: string): string {
  return FORBIDDEN.test(text) ? text.replace(FORBIDDEN_ALL, '') : text;
}

export interface TextViolation {
  /** Dotted path of the value inside the object, e.g. "customAttributes.tier" or "tags.2". */
  field: string;
  message: string;
}

/**
 * Every string (and object key) in a parsed JSON value or query object that the policy refuses,
 * with its dotted path. Walks iteratively, so a deeply nested body cannot overflow the stack.
 */
export function findTextViolations(value: unknown, limit = 50): TextViolation[] {
  const violations: TextViolation[] = [];
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0 && violations.length < limit) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      const problem = textProblem(item.value);
      if (problem) violations.push({ field: item.path || '(body)', message: problem });
    } else if (Array.isArray(item.value)) {
      for (let i = item.value.length - 1; i >= 0; i--) {
        stack.push({ value: item.value[i], path: join(item.path, String(i)) });
      }
    } else if (item.value !== null && typeof item.value === 'object') {
      const entries = Object.entries(item.value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const keyProblem = textProblem(key);
        if (keyProblem) {
          violations.push({ field: join(item.path, cleanText(key)), message: keyProblem });
          continue;
        }
        stack.push({ value: child, path: join(item.path, key) });
      }
    }
  }
  return violations;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
