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

const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\p{Cs}/u;
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
  code: 'control_character';
  params: { character: string };
  message: string;
}

function violation(field: string, text: string): TextViolation | undefined {
  const found = forbiddenCharacter(text);
  if (!found) return undefined;
  const character = codePointName(found.char);
  return { field, code: 'control_character', params: { character }, message: textProblem(text)! };
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
      const problem = violation(item.path || '(body)', item.value);
      if (problem) violations.push(problem);
    } else if (Array.isArray(item.value)) {
      for (let i = item.value.length - 1; i >= 0; i--) {
        stack.push({ value: item.value[i], path: join(item.path, String(i)) });
      }
    } else if (item.value !== null && typeof item.value === 'object') {
      const entries = Object.entries(item.value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const keyProblem = violation(join(item.path, cleanText(key)), key);
        if (keyProblem) {
          violations.push(keyProblem);
          continue;
        }
        stack.push({ value: child, path: join(item.path, key) });
      }
    }
  }
  return violations;
}

/**
 * A parsed JSON value with the refused characters removed from every string and key (in place;
 * iterative, so deep nesting cannot overflow the stack). For entry points that must keep what a
 * provider delivered rather than refuse it.
 */
export function cleanJsonValue(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) {
        const child: unknown = item[i];
        if (typeof child === 'string') item[i] = cleanText(child);
        else if (child !== null && typeof child === 'object') stack.push(child);
      }
    } else if (item !== null && typeof item === 'object') {
      const record = item as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const child = record[key];
        const cleanKey = cleanText(key);
        if (cleanKey !== key) {
          delete record[key];
          record[cleanKey] = child;
        }
        if (typeof child === 'string') record[cleanKey] = cleanText(child);
        else if (child !== null && typeof child === 'object') stack.push(child);
      }
    }
  }
  return value;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
