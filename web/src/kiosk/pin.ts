// The kiosk operator PIN as this browser keeps it: a salted PBKDF2-SHA-256 hash (WebCrypto), never the digits, with
// an iteration count measured on this device to take about 100 ms (at least MIN_ITERATIONS), and the back-off after
// wrong PINs. A 4-digit PIN has 10 000 values: the hash keeps it from being read off the storage at a glance, the
// back-off keeps passers-by from trying them all; neither stops someone with the device's developer tools.

/** A stored PIN: base64 salt and hash, and the PBKDF2-SHA-256 iterations that made it. */
export interface PinHash {
  salt: string;
  iterations: number;
  hash: string;
}

/** The time one PIN check should take on the kiosk, and the floor and ceiling of the iterations it leads to. */
export const TARGET_MS = 100;
export const MIN_ITERATIONS = 100_000;
export const MAX_ITERATIONS = 5_000_000;

/** Wrong PINs allowed before the first wait, the first wait, and the longest. */
export const FREE_TRIES = 5;
export const FIRST_WAIT_MS = 30_000;
export const MAX_WAIT_MS = 60 * 60_000;

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

async function derive(pin: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

/**
 * The iterations that take about TARGET_MS here (bounded): the fastest of three timed 40 000-iteration runs after a
 * warm-up, so that a busy moment does not make the hash weaker.
 */
export async function calibrateIterations(): Promise<number> {
  const probe = 40_000;
  await derive('0000', new Uint8Array(16), 1000);
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await derive('0000', new Uint8Array(16), probe);
    best = Math.min(best, performance.now() - t0);
  }
  const n = Math.round(TARGET_MS / (Math.max(best, 1) / probe) / 1000) * 1000;
  return Math.min(MAX_ITERATIONS, Math.max(MIN_ITERATIONS, n));
}

/** Hashes `pin` with a fresh 16-byte random salt. */
export async function hashPin(pin: string, iterations?: number): Promise<PinHash> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const n = iterations ?? (await calibrateIterations());
  return { salt: b64(salt), iterations: n, hash: b64(await derive(pin, salt, n)) };
}

/** Whether `pin` is the hashed one (compared over every byte). */
export async function verifyPin(stored: PinHash, pin: string): Promise<boolean> {
  const expected = unb64(stored.hash);
  const got = await derive(pin, unb64(stored.salt), stored.iterations);
  let diff = expected.length ^ got.length;
  for (let i = 0; i < expected.length; i++) diff |= expected[i] ^ (got[i] ?? 0);
  return diff === 0;
}

/** A well-formed stored hash, with no more iterations than calibration gives (else a check could take hours). */
export function isPinHash(v: unknown): v is PinHash {
  const h = v as Partial<PinHash> | null;
  return (
    typeof h === 'object' &&
    h !== null &&
    typeof h.salt === 'string' &&
    typeof h.hash === 'string' &&
    Number.isInteger(h.iterations) &&
    (h.iterations ?? 0) >= 1 &&
    (h.iterations ?? 0) <= MAX_ITERATIONS
  );
}

/** The wait after `failures` wrong PINs in a row: none for the first FREE_TRIES - 1, then 30 s doubling to 1 h. */
export function backoffMs(failures: number): number {
  if (failures < FREE_TRIES) return 0;
  return Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - FREE_TRIES));
}

/** "45 s", "2 min 5 s", "1 h": how long a wait of `ms` is, rounded up to the second. */
export function waitText(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m / 60} h`;
}
