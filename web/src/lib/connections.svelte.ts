// The API keys the user connected with, kept in localStorage (until the admin UI can list a user's services).
import { SERVICE_TYPES, type Connection, type ServiceType } from './api/types.js';

const STORAGE_KEY = 'visor.connections.v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Stored {
  list: Connection[];
  active: number;
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

function load(): Stored {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Stored> | null;
    const list = Array.isArray(raw?.list) ? raw.list.filter(isConnection) : [];
    const active =
      typeof raw?.active === 'number' && raw.active < list.length ? raw.active : list.length ? 0 : -1;
    return { list, active };
  } catch {
    return { list: [], active: -1 };
  }
}

/** Why a pasted key cannot be used, or undefined when it looks right. */
export function checkKey(apiKey: string): string | undefined {
  if (!apiKey.trim()) return 'Paste the API key of a service.';
  if (!UUID.test(apiKey.trim()))
    return 'An API key looks like 00000000-0000-0000-0000-000000000000 (a UUID).';
  return undefined;
}

export class Connections {
  list = $state<Connection[]>([]);
  #active = $state(-1);

  constructor() {
    const s = load();
    this.list = s.list;
    this.#active = s.active;
  }

  get active(): Connection | undefined {
    return this.list[this.#active];
  }

  /** Adds (or updates, for the same key) a connection and makes it the active one. */
  save(conn: Connection): void {
    const c = { ...conn, apiKey: conn.apiKey.trim(), label: conn.label.trim() || `${conn.type} service` };
    const i = this.list.findIndex((x) => x.apiKey === c.apiKey);
    if (i >= 0) this.list[i] = c;
    else this.list.push(c);
    this.#active = i >= 0 ? i : this.list.length - 1;
    this.persist();
  }

  select(apiKey: string): void {
    const i = this.list.findIndex((x) => x.apiKey === apiKey);
    if (i >= 0) this.#active = i;
    this.persist();
  }

  remove(apiKey: string): void {
    const current = this.active?.apiKey;
    this.list = this.list.filter((x) => x.apiKey !== apiKey);
    const i = this.list.findIndex((x) => x.apiKey === current);
    this.#active = i >= 0 ? i : this.list.length ? 0 : -1;
    this.persist();
  }

  private persist(): void {
    try {
      localStorage.setItem(
        STORAGE_KEY,
        JSON.stringify({ list: this.list, active: this.#active } satisfies Stored),
      );
    } catch {
      // Private mode or storage full: the keys last for this visit only.
    }
  }
}
