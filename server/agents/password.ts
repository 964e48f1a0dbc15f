// Password hashing with scrypt at OWASP's recommended cost (N=2^17, r=8, p=1).
// The parameters are stored with each hash so they can be raised later without a migration.
import {
  randomBytes,
  scrypt as scryptCallback,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

const KEY_LENGTH = 32;

/** scrypt's cost parameters (N = 2^logN). */
export interface PasswordCost {
  logN: number;
  r: number;
  p: number;
}

/** What every hash Kunde makes costs. */
export const PASSWORD_COST: PasswordCost = { logN: 17, r: 8, p: 1 };

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function options(logN: number, r: number, p: number): ScryptOptions {
  const N = 2 ** logN;
  return { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
}

/**
 * Hashes at PASSWORD_COST. `cost` exists for tests whose subject is not the hash (the login
 * throttle checks a hundred guesses); nothing in the product passes it.
 */
export async function hashPassword(
  password: string,
  cost: PasswordCost = PASSWORD_COST,
): Promise<string> {
  const salt = randomBytes(16);
  const { logN, r, p } = cost;
  const key = await scrypt(password, salt, options(logN, r, p));
  return `scrypt$${logN}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !logN || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(
    password,
    Buffer.from(salt, 'base64url'),
    options(Number(logN), Number(r), Number(p)),
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// Verifying against this when the email is unknown keeps both answers equally slow: a decoy
// per cost, the cost the real hashes were made at.
const decoys = new Map<string, Promise<string>>();
export async function verifyDecoyPassword(
  password: string,
  cost: PasswordCost = PASSWORD_COST,
): Promise<false> {
  const key = `${cost.logN}$${cost.r}$${cost.p}`;
  let decoy = decoys.get(key);
  if (!decoy) {
    decoy = hashPassword('decoy password that never matches', cost);
    decoys.set(key, decoy);
  }
  await verifyPassword(password, await decoy);
  return false;
}

/** A password for an agent nobody chose one for (printed once by the CLI and the platform API). */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}
