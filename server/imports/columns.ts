// Which column of an uploaded file feeds which customer property: recognised from the header
// (case-, space- and diacritics-insensitive, English and Norwegian aliases), adjustable by the
// agent in the preview. Unknown columns are reported and kept as free-form attributes of their
// own name by default (issue 16), never silently dropped; the agent can still choose Skip.
import type { CustomField } from '../../common/custom-field.ts';
import {
  ATTRIBUTE_PREFIX,
  MULTI_COLUMN_TARGETS,
  isBuiltInColumn,
  type BuiltInColumn,
  type ColumnTarget,
} from '../../common/import-columns.ts';

const ALIASES: Record<BuiltInColumn, string[]> = {
  email: ['email', 'emailaddress', 'mail', 'epost', 'epostadresse', 'mailadresse', 'emailadresse'],
  phone: [
    'phone',
    'phonenumber',
    'mobile',
    'mobilenumber',
    'mobilephone',
    'cell',
    'cellphone',
    'telephone',
    'mobil',
    'mobilnummer',
    'mobiltelefon',
    'telefon',
    'telefonnummer',
    'tlf',
    'tlfnr',
    'sms',
  ],
  additional_emails: [
    'additionalemails',
    'additionalemail',
    'otheremails',
    'otheremail',
    'secondaryemail',
    'secondaryemails',
    'alternativeemail',
    'emails',
    'ekstraepost',
    'andreepostadresser',
    'flereepostadresser',
  ],
  additional_phones: [
    'additionalphones',
    'additionalphone',
    'otherphones',
    'otherphone',
    'secondaryphone',
    'secondaryphones',
    'alternativephone',
    'phones',
    'ekstratelefon',
    'ekstramobil',
    'andretelefonnumre',
    'flerenumre',
    // What the Norwegian export writes (csv-headers.ts): "Flere telefonnumre".
    'fleretelefonnumre',
  ],
  first_name: ['firstname', 'first', 'givenname', 'forename', 'fornavn'],
  last_name: ['lastname', 'last', 'surname', 'familyname', 'etternavn'],
  full_name: ['name', 'fullname', 'navn', 'fulltnavn', 'contactname', 'kontaktperson'],
  organization: [
    'organization',
    'organisation',
    'organisasjon',
    'company',
    'companyname',
    'firma',
    'bedrift',
    'selskap',
    'org',
    'virksomhet',
  ],
  type: ['type', 'customertype', 'kundetype'],
};

const ALIAS_TARGETS: ReadonlySet<string> = new Set(Object.values(ALIASES).flat());

export function headerKey(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_\-.:/()*]+/g, '');
}

/** Columns the export writes that the import reads past on purpose (not reported as unknown). */
export const READ_ONLY_COLUMNS = new Set([
  'number',
  'status',
  'createdat',
  'createdvia',
  'kundenummer',
  'hubaccess',
  // The reason column of the "fix and re-upload" file (import.service.ts, fixFile): read past
  // when the fixed file comes back, never imported as data.
  'importerror',
  'importfeil',
  // The localized export's headers (csv-headers.ts): "Created", "Opprettet", "Hub-tilgang".
  'created',
  'opprettet',
  'hubtilgang',
]);

/** The reason column's header in the fix file (its headerKey is in READ_ONLY_COLUMNS). */
export const FIX_FILE_REASON_COLUMN = 'import_error';

/** Longest free-form attribute name (checkMapping's rule). */
const MAX_ATTRIBUTE_NAME = 64;

/** The Norwegian export's attribute prefix ("attributt:rolle"); read like ATTRIBUTE_PREFIX. */
export const ATTRIBUTE_PREFIX_NB = 'attributt:';

/** Whether a header (as headerKey folds it) is read as a built-in or read-only column. */
export function isKnownHeader(key: string): boolean {
  return READ_ONLY_COLUMNS.has(key) || ALIAS_TARGETS.has(key);
}

/**
 * Names an attribute may not have: stored in a plain object, "__proto__" would set the object's
 * prototype instead of a key and vanish. The column is reported as not imported instead.
 */
export function isReservedAttributeName(name: string): boolean {
  return name === '__proto__';
}

/**
 * Recognises each header; returns the target per column. An unknown column is kept as the
 * free-form attribute of its name (issue 16: skipping it by default lost data unless the agent
 * noticed); with keepUnknown false it is null, which is how the preview tells which columns were
 * not recognised. Free-form rather than a custom field created on import: attributes are what the
 * customer model stores without a definition (custom-fields/values.ts validates only defined
 * fields), the export writes them back as "attribute:<name>", and creating account-wide field
 * definitions is an administrator's decision (custom-fields.manage) that an import by an agent
 * with customers.import should not make behind their back.
 */
export function autoMap(
  header: string[],
  fields: CustomField[],
  options: { keepUnknown?: boolean } = {},
): ColumnTarget[] {
  const recognised = recognise(header, fields);
  if (options.keepUnknown === false) return recognised;
  const used = new Set<ColumnTarget>(recognised);
  return recognised.map((target, index) => {
    if (target !== null) return target;
    const name = (header[index] ?? '').trim();
    const keep: ColumnTarget = `attribute:${name}`;
    if (
      !name ||
      READ_ONLY_COLUMNS.has(headerKey(name)) ||
      name.toLowerCase().startsWith(ATTRIBUTE_PREFIX) ||
      name.length > MAX_ATTRIBUTE_NAME ||
      isReservedAttributeName(name) ||
      used.has(keep)
    )
      return null;
    used.add(keep);
    return keep;
  });
}

function recognise(header: string[], fields: CustomField[]): ColumnTarget[] {
  const byAlias = new Map<string, ColumnTarget>();
  for (const field of fields) {
    for (const name of [field.key, field.label, field.labelNb])
      if (name) byAlias.set(headerKey(name), `field:${field.key}`);
  }
  for (const [target, aliases] of Object.entries(ALIASES) as [BuiltInColumn, string[]][]) {
    for (const alias of aliases) byAlias.set(alias, target);
  }
  const used = new Set<ColumnTarget>();
  return header.map((name): ColumnTarget => {
    const trimmed = name.trim();
    const prefix = [ATTRIBUTE_PREFIX, ATTRIBUTE_PREFIX_NB].find((p) =>
      trimmed.toLowerCase().startsWith(p),
    );
    if (prefix && trimmed.length > prefix.length) {
      const name = trimmed.slice(prefix.length).trim();
      return isReservedAttributeName(name) ? null : `attribute:${name}`;
    }
    const key = headerKey(name);
    let target = byAlias.get(key) ?? numberedIdentity(key, byAlias);
    // "email 1" beside "email 2" is the primary, unless a plain "email" column came first.
    if (/\D1$/.test(key) && target !== null && MULTI_COLUMN_TARGETS.has(target)) {
      const primary = target === 'additional_emails' ? 'email' : 'phone';
      if (!used.has(primary) && !header.some((other) => byAlias.get(headerKey(other)) === primary))
        target = primary;
    }
    if (target === null || used.has(target)) return null;
    if (!MULTI_COLUMN_TARGETS.has(target)) used.add(target);
    return target;
  });
}

/**
 * "email 2", "E-post_3", "phone2": an email or phone alias with a number after it is one more
 * address or number of the same customer (a spreadsheet's repeated columns).
 */
function numberedIdentity(key: string, byAlias: Map<string, ColumnTarget>): ColumnTarget {
  const match = /^(.+?)\d{1,2}$/.exec(key);
  const base = match?.[1] ? byAlias.get(match[1]) : undefined;
  if (base === 'email' || base === 'additional_emails') return 'additional_emails';
  if (base === 'phone' || base === 'additional_phones') return 'additional_phones';
  return null;
}

export interface MappingProblem {
  column: string;
  message: string;
}

/** Checks an agent's mapping: known targets, each used once, and some identity column. */
export function checkMapping(
  header: string[],
  mapping: ColumnTarget[],
  fields: CustomField[],
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (mapping.length !== header.length) {
    problems.push({
      column: '(mapping)',
      message: `the mapping has ${mapping.length} entries but the file has ${header.length} columns`,
    });
    return problems;
  }
  const keys = new Set(fields.map((f) => f.key));
  const seen = new Map<string, string>();
  mapping.forEach((target, index) => {
    const column = header[index] ?? `column ${index + 1}`;
    if (target === null) return;
    if (target.startsWith('field:') && !keys.has(target.slice(6)))
      problems.push({ column, message: `no custom field ${target.slice(6)}` });
    else if (target.startsWith('attribute:') && !/^attribute:.{1,64}$/.test(target))
      problems.push({ column, message: 'an attribute name is 1-64 characters' });
    else if (target.startsWith('attribute:') && isReservedAttributeName(target.slice(10)))
      problems.push({ column, message: `${target.slice(10)} cannot be an attribute name` });
    else if (!target.includes(':') && !isBuiltInColumn(target))
      problems.push({ column, message: `unknown target ${target}` });
    const earlier = MULTI_COLUMN_TARGETS.has(target) ? undefined : seen.get(target);
    if (earlier)
      problems.push({ column, message: `${target} is already taken by the column "${earlier}"` });
    seen.set(target, column);
  });
  if (!mapping.includes('email') && !mapping.includes('phone')) {
    problems.push({
      column: '(mapping)',
      message: 'map a column to email or phone: customers are matched and identified by them',
    });
  }
  return problems;
}
