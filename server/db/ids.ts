// Identifiers and clock: time-ordered UUIDv7 ids (good index locality) and ISO timestamps.
import { v7 as uuidv7 } from 'uuid';

export function newId(): string {
  return uuidv7();
}

export function nowIso(): string {
  return new Date().toISOString();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isId(value: string): boolean {
  return UUID.test(value);
}
