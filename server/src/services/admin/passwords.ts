// Password hashing (Argon2id, OWASP parameters), generated passwords and random one-time tokens.
import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';
import { ValidationError } from '../../../../shared/errors.js';
import { MAX_PASSWORD, MIN_PASSWORD, passwordProblem } from '../../../../shared/password-policy.js';

const OPTIONS = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */ as const,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export { MAX_PASSWORD, MIN_PASSWORD };

/** Throws ValidationError unless the password follows the policy (shared/password-policy.ts). */
export function checkPassword(password: unknown): string {
  const problem =
    typeof password === 'string'
      ? passwordProblem(password)
      : `Password must have ${MIN_PASSWORD} to ${MAX_PASSWORD} characters`;
  if (problem) throw new ValidationError(problem);
  return password as string;
}

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

/** Verifies against a stored hash; a malformed hash counts as a mismatch. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Spends the time of one verification, so an unknown e-mail answers as slowly as a wrong password. */
export async function verifyNothing(password: string): Promise<void> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummy, password);
}

/** A random password of 20 URL-safe characters (about 120 bits). */
export const generatePassword = (): string => randomBytes(15).toString('base64url');

/** A random token for a cookie or e-mail link, and the hash the database keeps. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
