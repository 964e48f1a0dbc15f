// Words for what the import API answers in codes: column targets, statuses, encodings and
// delimiters; and the random Idempotency-Key each upload attempt carries.
import type { TFunction } from 'i18next';
import type { CustomerImport } from '../../../common/customer-import.ts';
import { ATTRIBUTE_PREFIX, FIELD_PREFIX, isBuiltInColumn } from '../../../common/import-columns.ts';

/** A target in the agent's words; custom fields carry their own label from the server. */
export function targetLabel(
  target: string | null,
  t: TFunction,
  fieldLabels: Map<string, string> = new Map(),
): string {
  if (target === null) return t('imports.preview.skip');
  if (isBuiltInColumn(target)) return t(`imports.targets.${target}`);
  if (target.startsWith(ATTRIBUTE_PREFIX)) {
    return t('imports.preview.attribute', { name: target.slice(ATTRIBUTE_PREFIX.length) });
  }
  return fieldLabels.get(target) ?? target.slice(FIELD_PREFIX.length);
}

export const STATUS_COLORS: Record<CustomerImport['status'], string> = {
  preview: 'gray',
  queued: 'blue',
  running: 'blue',
  done: 'teal',
  failed: 'red',
};

export function isActive(status: CustomerImport['status']): boolean {
  return status === 'queued' || status === 'running';
}

const ENCODINGS: Record<string, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  'windows-1252': 'Windows-1252',
};

export function encodingLabel(encoding: string): string {
  return ENCODINGS[encoding] ?? encoding;
}

export function delimiterLabel(delimiter: string, t: TFunction): string {
  if (delimiter === ';') return t('imports.preview.delimiters.semicolon');
  if (delimiter === '\t') return t('imports.preview.delimiters.tab');
  if (delimiter === ',') return t('imports.preview.delimiters.comma');
  return delimiter;
}

/** A random key per upload attempt (crypto.randomUUID needs a secure context; this does not). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
