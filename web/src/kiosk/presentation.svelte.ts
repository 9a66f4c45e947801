// The kiosk's presentation mode: the page the public sees (full screen, a large greeting, no navigation and no
// figures), left only by an operator, with the PIN set when it started if one was. It survives a reload, so a
// kiosk that restarts comes back presenting. The PIN keeps passers-by out of the operator panel: this browser
// keeps only its salted slow hash (pin.ts), and wrong PINs make the next try wait longer and longer, across
// reloads too. Not a secret from someone holding the device's developer tools.
import type { SeenFace } from './kiosk.svelte.js';
import { backoffMs, FREE_TRIES, hashPin, isPinHash, verifyPin, type PinHash } from './pin.js';

const STORAGE_KEY = 'visor.kiosk.presentation.v1';

/** What the public sees for the faces in view: a welcome by name, "not recognised", or an invitation. */
export interface Greeting {
  kind: 'welcome' | 'unknown' | 'none';
  text: string;
}

/** "Welcome, Alice" (names joined), "Not recognised" for unknown faces only, else an invitation to look. */
export function greeting(faces: readonly SeenFace[]): Greeting {
  const names = [...new Set(faces.flatMap((f) => (f.name ? [f.name] : [])))];
  if (names.length) {
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
    return { kind: 'welcome', text: `Welcome, ${list}` };
  }
  if (faces.length) return { kind: 'unknown', text: 'Not recognised' };
  return { kind: 'none', text: 'Please look at the camera' };
}

/** A PIN is 4 to 8 digits, or none. */
export const isPin = (pin: string): boolean => /^\d{4,8}$/.test(pin);

/** What an unlock attempt came to: the page handed back, or refused with the wait before the next try. */
export type UnlockResult = { ok: true } | { ok: false; waitMs: number; triesLeft: number };

interface Saved {
  /** The PIN's hash; a plain string is a PIN kept by an older version, hashed when read. */
  pin: PinHash | string | null;
  /** Wrong PINs in a row, and when (ms since the epoch) the next try is allowed. */
  failures: number;
  retryAt: number;
}

function load(): Saved | undefined {
  try {
    const v = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Saved> | null;
    if (!v) return undefined;
    const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);
    return {
      pin: typeof v.pin === 'string' || isPinHash(v.pin) ? v.pin : null,
      failures: Math.floor(count(v.failures)),
      retryAt: count(v.retryAt),
    };
  } catch {
    return undefined;
  }
}

function save(saved: { pin: PinHash | null; failures: number; retryAt: number }): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
  } catch {
    // Storage unavailable: presenting until the page reloads.
  }
}

export class KioskPresentation {
  #saved = load();
  /** The public view is showing. */
  active = $state(this.#saved !== undefined);
  /** Whether leaving asks for a PIN. */
  locked = $state(Boolean(this.#saved?.pin));
  /** Wrong PINs in a row, and when the next try is allowed (0: now); both survive a reload. */
  failures = $state(this.#saved?.failures ?? 0);
  retryAt = $state(this.#saved?.retryAt ?? 0);
  /** The PIN's hash (null: none), pending while it is made. */
  #pin: Promise<PinHash | null>;

  constructor() {
    const pin = this.#saved?.pin ?? null;
    this.#pin = typeof pin === 'string' ? this.#keep(hashPin(pin)) : Promise.resolve(pin);
  }

  /** Saves the hash once made, with the back-off as it is then. */
  async #keep(hashing: Promise<PinHash>): Promise<PinHash> {
    const hash = await hashing;
    if (this.active) save({ pin: hash, failures: this.failures, retryAt: this.retryAt });
    return hash;
  }

  /** Starts presenting, optionally behind a PIN (4 to 8 digits); `screen` goes full screen when allowed. */
  start(pin: string, screen?: HTMLElement): void {
    this.locked = Boolean(pin);
    this.active = true;
    this.failures = 0;
    this.retryAt = 0;
    // kept (so that a reload comes back presenting) once the PIN's hash is made, in about 100 ms
    if (pin) {
      this.#pin = this.#keep(hashPin(pin));
    } else {
      this.#pin = Promise.resolve(null);
      save({ pin: null, failures: 0, retryAt: 0 });
    }
    screen?.requestFullscreen?.().catch(() => {});
  }

  /** The wait before the next try may be made (0: now); never longer than the back-off allows. */
  waitMs(now = Date.now()): number {
    return Math.max(0, Math.min(this.retryAt - now, backoffMs(this.failures)));
  }

  /**
   * Leaves the public view when `pin` is the one set (or none was). A wrong PIN counts: after FREE_TRIES in a
   * row each further try waits (pin.ts backoffMs); a try during the wait is refused unchecked.
   */
  async unlock(pin: string): Promise<UnlockResult> {
    const refused = (waitMs: number): UnlockResult => ({
      ok: false,
      waitMs,
      triesLeft: Math.max(0, FREE_TRIES - this.failures),
    });
    const wait = this.waitMs();
    if (wait > 0) return refused(wait);
    const stored = await this.#pin;
    if (stored && !(await verifyPin(stored, pin))) {
      this.failures++;
      const next = backoffMs(this.failures);
      this.retryAt = next ? Date.now() + next : 0;
      save({ pin: stored, failures: this.failures, retryAt: this.retryAt });
      return refused(next);
    }
    this.active = false;
    this.locked = false;
    this.failures = 0;
    this.retryAt = 0;
    this.#pin = Promise.resolve(null);
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      // Nothing was kept.
    }
    if (typeof document !== 'undefined' && document.fullscreenElement)
      document.exitFullscreen().catch(() => {});
    return { ok: true };
  }
}
