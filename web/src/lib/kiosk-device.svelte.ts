// "Keep this device as a kiosk": the one service key the Kiosk page may keep in localStorage past log-out,
// chosen explicitly on that page and forgotten there. No other page reads it.
import type { Connection } from './api/types.js';

const STORAGE_KEY = 'visor.kiosk.v1';

function load(): Connection | undefined {
  try {
    const c = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Connection> | null;
    return c && typeof c.apiKey === 'string' && typeof c.label === 'string' && c.type === 'recognition'
      ? (c as Connection)
      : undefined;
  } catch {
    return undefined;
  }
}

export class KioskDevice {
  /** The recognition service this device is a kiosk for, if the user chose so. */
  connection = $state<Connection | undefined>(load());

  keep(conn: Connection): void {
    this.connection = conn;
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(conn));
    } catch {
      // Storage unavailable: a kiosk for this visit only.
    }
  }

  release(): void {
    this.connection = undefined;
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      // Nothing was kept.
    }
  }
}
