// Custom field definitions: created and changed by administrators, used to validate values on
// every write path (see values.ts).
import { fieldError } from '../../common/field-error-codes.ts';
import type { Kysely } from 'kysely';
import type {
  CustomField,
  CustomFieldCreate,
  CustomFieldUpdate,
  CustomFieldValue,
} from '../../common/custom-field.ts';
import type { FieldError } from '../../common/problem.ts';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from '../errors.ts';
import * as repo from './custom-field.repository.ts';
import { validateFieldValues, type ValidateOptions, type Value } from './values.ts';

function definitionErrors(field: Pick<CustomField, 'type' | 'options' | 'pattern'>): FieldError[] {
  const errors: FieldError[] = [];
  if ((field.type === 'dropdown' || field.type === 'multiselect') && field.options.length === 0) {
    errors.push(
      fieldError('options', 'options_required', `a ${field.type} field needs at least one option`),
    );
  }
  if (new Set(field.options.map((o) => o.toLowerCase())).size !== field.options.length) {
    errors.push(
      fieldError('options', 'options_not_unique', 'options must be different from each other'),
    );
  }
  if (field.type === 'regex') {
    if (!field.pattern)
      errors.push(fieldError('pattern', 'pattern_required', 'a regex field needs a pattern'));
    else {
      try {
        new RegExp(field.pattern, 'u');
      } catch {
        errors.push(fieldError('pattern', 'invalid_regex', 'not a valid regular expression'));
      }
    }
  }
  return errors;
}

export class CustomFieldService {
  constructor(private readonly db: Kysely<Database>) {}

  list(accountId: string, entity?: 'customer' | 'organization') {
    return repo.listFields(this.db, accountId, entity);
  }

  async create(accountId: string, input: CustomFieldCreate): Promise<CustomField> {
    const existing = await repo.listFields(this.db, accountId, input.entity);
    const field: CustomField = {
      id: newId(),
      entity: input.entity,
      key: input.key,
      label: input.label,
      labelNb: input.labelNb ?? null,
      type: input.type,
      required: input.required,
      options: input.options,
      pattern: input.pattern ?? null,
      position: input.position ?? existing.length,
    };
    const errors = definitionErrors(field);
    if (errors.length) throw new ValidationError(errors);
    try {
      await repo.insertField(this.db, accountId, field, nowIso());
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          'custom_field_key_taken',
          `The ${field.entity} field key ${field.key} is taken`,
          {
            errors: [fieldError('key', 'already_used', 'already used by another field')],
          },
        );
      }
      throw error;
    }
    return field;
  }

  async update(accountId: string, id: string, patch: CustomFieldUpdate): Promise<CustomField> {
    const current = await repo.findField(this.db, accountId, id);
    if (!current) throw new NotFoundError('custom_field', id);
    const next: CustomField = { ...current, ...patch };
    const errors = definitionErrors(next);
    if (errors.length) throw new ValidationError(errors);
    await repo.updateField(this.db, accountId, next);
    return next;
  }

  async remove(accountId: string, id: string): Promise<void> {
    if (!(await repo.deleteField(this.db, accountId, id)))
      throw new NotFoundError('custom_field', id);
  }

  /** Validates values for an entity; throws one ValidationError naming every bad field. */
  async validate(
    accountId: string,
    entity: 'customer' | 'organization',
    values: Record<string, CustomFieldValue>,
    options: ValidateOptions,
    /** The caller's transaction, when validating inside one (SQLite has one connection). */
    db: Conn = this.db,
  ): Promise<Record<string, Value>> {
    const fields = await repo.listFields(db, accountId, entity);
    const result = validateFieldValues(fields, values, options);
    if (result.errors.length) throw new ValidationError(result.errors);
    return result.values;
  }
}
