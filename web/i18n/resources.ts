// The console's strings in each language: en.json and nb.json, with the words of the server's
// field error codes and import reason codes from common/ (field-error-texts.ts, import-reasons.ts),
// where the server reads them too when it writes a report in the agent's language; one copy of
// each. Pure (no i18next instance, no DOM), so the plain Node tests check the same resources the
// console loads.
import { FIELD_ERROR_TEXTS } from '../../common/field-error-texts.ts';
import { IMPORT_REASON_TEXTS } from '../../common/import-reasons.ts';
import enStrings from './en.json';
import nbStrings from './nb.json';

export const en = {
  ...enStrings,
  fieldErrors: FIELD_ERROR_TEXTS.en,
  importReasons: IMPORT_REASON_TEXTS.en,
};

export const nb = {
  ...nbStrings,
  fieldErrors: FIELD_ERROR_TEXTS.nb,
  importReasons: IMPORT_REASON_TEXTS.nb,
};
