// The kiosk's presentation mode: the page the public sees (full screen, a large greeting, no navigation and no
// figures), left only by an operator, with the PIN set when it started if one was. It survives a reload, so a
// kiosk that restarts comes back presenting. The PIN keeps passers-by out of the operator panel; it is kept in
// this browser's storage, not a secret from someone holding the device's developer tools.
import type { SeenFace } from './kiosk.svelte.js';

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

function load(): { pin: string | null } | undefined {
  try {
    const v = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as { pin?: unknown } | null;
    return v ? { pin: typeof v.pin === 'string' ? v.pin : null } : undefined;
  } catch {
    return undefined;
  }
}

export class KioskPresentation {
  #saved = load();
  /** The public view is showing. */
  active = $state(this.#saved !== undefined);
  /** Whether leaving asks for a PIN. */
  locked = $state(Boolean(this.#saved?.pin));
  #pin: string | null = this.#saved?.pin ?? null;

  /** Starts presenting, optionally behind a PIN (4 to 8 digits); `screen` goes full screen when allowed. */
  start(pin: string, screen?: HTMLElement): void {
    this.#pin = pin ? pin : null;
    this.locked = this.#pin !== null;
    this.active = true;
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ pin: this.#pin }));
    } catch {
      // Storage unavailable: presenting until the page reloads.
    }
    screen?.requestFullscreen?.().catch(() => {});
  }

  /** Leaves the public view when `pin` is the one set (or none was); false for a wrong PIN. */
  unlock(pin: string): boolean {
    if (this.#pin !== null && pin !== this.#pin) return false;
    this.active = false;
    this.locked = false;
    this.#pin = null;
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      // Nothing was kept.
    }
    if (typeof document !== 'undefined' && document.fullscreenElement)
      document.exitFullscreen().catch(() => {});
    return true;
  }
}
