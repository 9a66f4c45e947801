// The service keys the pages work with, from two places that end differently:
// - device keys, pasted on Connect: kept in localStorage until the user forgets them (the key-only workflow);
// - session keys, handed over by the admin pages of a logged-in user: kept in sessionStorage under the user's
//   id, usable only while the server confirms that user's session, forgotten at log-out or expiry, and
//   refreshed from the services list (a new key replaces the old one, a deleted service's key goes).
import type { AdminService } from './admin/types.js';
import { SERVICE_TYPES, type Connection, type ServiceType } from './api/types.js';

const DEVICE_KEY = 'visor.connections.v1';
const SESSION_KEY = 'visor.session-keys.v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface StoredDevice {
  list: Connection[];
  active: number;
}
interface StoredSession {
  user: string;
  list: Connection[];
  /** The API key in use, when it is one of these. */
  active?: string;
}

function isConnection(v: unknown): v is Connection {
  const c = v as Partial<Connection> | null;
  return (
    !!c &&
    typeof c.apiKey === 'string' &&
    typeof c.label === 'string' &&
    SERVICE_TYPES.includes(c.type as ServiceType)
  );
}

function read<T>(storage: () => Storage, key: string): Partial<T> | null {
  try {
    return JSON.parse(storage().getItem(key) ?? 'null') as Partial<T> | null;
  } catch {
    return null;
  }
}

function write(storage: () => Storage, key: string, value: unknown): void {
  try {
    if (value === undefined) storage().removeItem(key);
    else storage().setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or storage full: the keys last for this visit only.
  }
}

const local = () => localStorage;
const session = () => sessionStorage;

/** Why a pasted key cannot be used, or undefined when it looks right. */
export function checkKey(apiKey: string): string | undefined {
  if (!apiKey.trim()) return 'Paste the API key of a service.';
  if (!UUID.test(apiKey.trim()))
    return 'An API key looks like 00000000-0000-0000-0000-000000000000 (a UUID).';
  return undefined;
}

export class Connections {
  /** Keys pasted on Connect, kept on this device. */
  device = $state<Connection[]>([]);
  /** Keys of the logged-in user's services (empty until the session is confirmed). */
  session = $state<Connection[]>([]);
  #activeKey = $state<string | undefined>();
  /** Session keys read at start, waiting for the server to confirm their user. */
  #waiting: StoredSession | undefined;
  #user: string | undefined;

  readonly list: Connection[] = $derived([...this.session, ...this.device]);

  constructor() {
    const d = read<StoredDevice>(local, DEVICE_KEY);
    this.device = Array.isArray(d?.list) ? d.list.filter(isConnection) : [];
    const i = typeof d?.active === 'number' ? d.active : 0;
    this.#activeKey = this.device[i]?.apiKey;
    const s = read<StoredSession>(session, SESSION_KEY);
    if (s && typeof s.user === 'string' && Array.isArray(s.list))
      this.#waiting = { user: s.user, list: s.list.filter(isConnection), active: s.active };
  }

  get active(): Connection | undefined {
    return this.list.find((c) => c.apiKey === this.#activeKey) ?? this.list[0];
  }

  /** The server confirmed `userId`'s session: their keys saved in this tab become usable. */
  admit(userId: string): void {
    if (this.#user === userId) return;
    const w = this.#waiting;
    this.#waiting = undefined;
    this.#user = userId;
    if (w?.user === userId) {
      this.session = w.list;
      if (w.active && w.list.some((c) => c.apiKey === w.active)) this.#activeKey = w.active;
    } else {
      this.session = [];
    }
    this.persist();
  }

  /**
   * The session ended (log-out, expiry, another user): forgets every key it handed over; returns them (the
   * caller also drops what the device kept under them).
   */
  endSession(): Connection[] {
    const gone = [...this.session, ...(this.#waiting?.list ?? [])];
    this.session = [];
    this.#waiting = undefined;
    this.#user = undefined;
    write(session, SESSION_KEY, undefined);
    if (gone.some((c) => c.apiKey === this.#activeKey)) this.#activeKey = this.device[0]?.apiKey;
    this.persist();
    return gone;
  }

  /** Adds (or updates, for the same key) a key pasted on Connect and makes it the active one. */
  save(conn: Connection): void {
    const c = { ...conn, apiKey: conn.apiKey.trim(), label: conn.label.trim() || `${conn.type} service` };
    this.device = upsert(this.device, c);
    this.#activeKey = c.apiKey;
    this.persist();
  }

  /** Makes a service key of the logged-in user's the active one (kept for this session only). */
  use(conn: Connection): void {
    if (!this.#user) return;
    this.session = upsert(this.session, conn);
    this.#activeKey = conn.apiKey;
    this.persist();
  }

  /**
   * Brings session keys in step with an application's services as the server lists them: a service with a
   * new key or name or threshold updates its connection; `gone` names services just deleted, whose keys
   * are forgotten.
   */
  refresh(appName: string, services: AdminService[], gone: string[] = []): void {
    const byId = new Map(services.map((s) => [s.id, s]));
    const next: Connection[] = [];
    for (const c of this.session) {
      const s = c.serviceId ? byId.get(c.serviceId) : undefined;
      if (c.serviceId && gone.includes(c.serviceId)) {
        if (this.#activeKey === c.apiKey) this.#activeKey = undefined;
        continue;
      }
      if (!s) {
        next.push(c);
        continue;
      }
      const fresh: Connection = {
        ...c,
        apiKey: s.api_key,
        label: `${appName} · ${s.name}`,
        minSimilarity: s.min_similarity,
        app: c.app && { ...c.app, name: appName },
      };
      if (this.#activeKey === c.apiKey) this.#activeKey = fresh.apiKey;
      next.push(fresh);
    }
    this.session = next;
    this.persist();
  }

  select(apiKey: string): void {
    if (this.list.some((x) => x.apiKey === apiKey)) this.#activeKey = apiKey;
    this.persist();
  }

  /** Forgets one key, wherever it was kept. */
  remove(apiKey: string): void {
    this.device = this.device.filter((x) => x.apiKey !== apiKey);
    this.session = this.session.filter((x) => x.apiKey !== apiKey);
    if (this.#activeKey === apiKey) this.#activeKey = undefined;
    this.persist();
  }

  private persist(): void {
    const inDevice = this.device.findIndex((x) => x.apiKey === this.#activeKey);
    write(local, DEVICE_KEY, { list: this.device, active: Math.max(0, inDevice) } satisfies StoredDevice);
    if (this.#user)
      write(session, SESSION_KEY, {
        user: this.#user,
        list: this.session,
        active: this.#activeKey,
      } satisfies StoredSession);
  }
}

function upsert(list: Connection[], c: Connection): Connection[] {
  const i = list.findIndex((x) => x.apiKey === c.apiKey || (c.serviceId && x.serviceId === c.serviceId));
  return i >= 0 ? list.map((x, j) => (j === i ? c : x)) : [...list, c];
}
