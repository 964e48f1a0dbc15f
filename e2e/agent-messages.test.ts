// Every sentence administering agents and roles can show a person has a Norwegian Bokmål rule
// (web/i18n/server-message-rules.ts), taken from the server code that writes it: the refusals of
// agents, roles and set-password links, their field messages, and the password's length rule.
// And every permission the role editor lists has a name and an explanation in both languages,
// so a permission added to common/permissions.ts fails here until it has its strings.
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIELD_ERROR_CODES } from '../common/field-error-codes.ts';
import { PERMISSIONS } from '../common/permissions.ts';
import type { FieldError } from '../common/problem.ts';
import { lastAdministrator, userDeactivated } from '../server/agents/agent-admin.service.ts';
import { emailTaken } from '../server/agents/agent.service.ts';
import { linkExpired, linkNotValid, linkUsed } from '../server/agents/password-link.service.ts';
import { builtInRole, nameTaken, readOnly, roleInUse } from '../server/agents/role.service.ts';
import type { AppError } from '../server/errors.ts';
import { en, nb } from '../web/i18n/resources.ts';
import { translateServerMessage } from '../web/i18n/server-message-rules.ts';

function sentences(): string[] {
  const problems: AppError[] = [
    lastAdministrator(),
    userDeactivated(),
    emailTaken('ola@example.com'),
    nameTaken('Kveldsvakt'),
    readOnly(),
    builtInRole(),
    roleInUse(1),
    roleInUse(3),
    linkNotValid(),
    linkExpired(),
    linkUsed(),
  ];
  // Their field errors are translated by code (web/i18n/field-errors.ts), checked below.
  return problems.flatMap((p) => [p.title, p.message]);
}

/** The field errors those problems carry. */
function fieldErrorsOf(): FieldError[] {
  return [emailTaken('ola@example.com'), nameTaken('Kveldsvakt')].flatMap(
    (p) => (p.extra.errors as FieldError[] | undefined) ?? [],
  );
}

describe('server sentences of agents and roles in Norwegian Bokmål', () => {
  let t: TFunction;
  beforeAll(async () => {
    const instance = i18next.createInstance();
    await instance.init({
      resources: { en: { translation: en }, nb: { translation: nb } },
      lng: 'nb',
      fallbackLng: false,
      interpolation: { escapeValue: false },
      parseMissingKeyHandler: (key) => `MISSING ${key}`,
    });
    t = instance.t;
  });

  it('has a rule for each, keeping the numbers, ids and addresses', () => {
    const english = [...new Set(sentences())];
    const untranslated = english.filter((sentence) => {
      const norwegian = translateServerMessage(sentence, t);
      return norwegian === sentence || norwegian.includes('MISSING') || norwegian.includes('{{');
    });
    expect(untranslated).toEqual([]);
    for (const sentence of english) {
      const norwegian = translateServerMessage(sentence, t);
      const values = sentence.match(/\S+@\S+|[0-9a-f]{8}-[0-9a-f-]{27}|\b\d+\b/g) ?? [];
      for (const value of values.filter((v) => v !== '1'))
        expect([sentence, norwegian.includes(value)]).toEqual([sentence, true]);
    }
  });

  it('gives their field errors codes of the catalogue, which the console translates', () => {
    const errors = fieldErrorsOf();
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(Object.keys(FIELD_ERROR_CODES)).toContain(error.code);
  });

  it('names and explains every permission in English and Norwegian Bokmål', () => {
    for (const permission of PERMISSIONS) {
      for (const lng of ['en', 'nb'] as const) {
        for (const part of ['name', 'explain'] as const) {
          const text = t(`permissions.${permission}.${part}`, { lng });
          expect([permission, lng, part, text.startsWith('MISSING') || text.trim() === '']).toEqual(
            [permission, lng, part, false],
          );
        }
      }
    }
  });
});
