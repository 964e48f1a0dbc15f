// Why Kunde suspects two customers are one person, as a sentence in the console's language: each
// DuplicateReason code has its sentence, filled in with what matched (the reason's detail). Kept
// free of React so that a plain Node test (e2e/duplicate-reasons.test.ts) can check every code in
// both languages.
import type { TFunction } from 'i18next';
import { DUPLICATE_REASONS, type DuplicateReason } from '../../../common/merge.ts';

type ReasonCode = (typeof DUPLICATE_REASONS)[number];

/** Detail members that name where the value was found rather than the value itself. */
const WHERE_KEYS = new Set([
  'field',
  'fieldLabel',
  'attribute',
  'organization',
  'organizationName',
]);

/** The matched values, in the detail's order, without repeats: "987 65 432 / +47 987 65 432". */
function matchedValues(detail: Record<string, string>): string {
  const values = Object.entries(detail)
    .filter(([key, value]) => !WHERE_KEYS.has(key) && value.trim() !== '')
    .map(([, value]) => value);
  return [...new Set(values)].join(' / ');
}

function where(detail: Record<string, string>): string {
  return (
    detail.fieldLabel ??
    detail.field ??
    detail.attribute ??
    detail.organizationName ??
    detail.organization ??
    ''
  );
}

export function reasonSentence(reason: DuplicateReason, t: TFunction): string {
  if (!(DUPLICATE_REASONS as readonly string[]).includes(reason.code)) return reason.code;
  const code: ReasonCode = reason.code;
  const values = matchedValues(reason.detail);
  const place = where(reason.detail);
  const sentence = t(`duplicates.reasons.${code}`, { values });
  return place ? t('duplicates.reasonWhere', { sentence, where: place }) : sentence;
}
