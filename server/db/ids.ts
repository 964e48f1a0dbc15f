// Identifiers and clock: time-ordered UUIDv7 ids (good index locality) and ISO timestamps.
import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

// uuid draws 16 random bytes from the OS for every id, a system call each: a bulk import that
// makes millions of ids spent 5% of its time there. The bytes come from a pool filled 4 KB at a
// time instead; the millisecond and the monotonic sequence are kept here as uuid keeps them.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
const state = { msecs: -Infinity, seq: 0 };

function random16(): Uint8Array {
  if (poolAt + 16 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const bytes = pool.subarray(poolAt, poolAt + 16);
  poolAt += 16;
  return bytes;
}

export function newId(): string {
  const random = random16();
  const now = Date.now();
  if (now > state.msecs) {
    // A fresh 31-bit counter from the random bytes, as uuid starts each millisecond.
    const [a = 0, b = 0, c = 0, d = 0] = random.subarray(6, 10);
    state.seq = ((a & 0x7f) << 24) | (b << 16) | (c << 8) | d;
    state.msecs = now;
  } else {
    state.seq = (state.seq + 1) | 0;
    if (state.seq === 0) state.msecs += 1;
  }
  return uuidv7({ msecs: state.msecs, seq: state.seq, random });
}

export function nowIso(): string {
  return new Date().toISOString();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isId(value: string): boolean {
  return UUID.test(value);
}
