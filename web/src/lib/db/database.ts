// The device's IndexedDB through Dexie: one collection per recognition service (keyed by a caller-chosen id),
// its subjects and examples (embeddings, never server images), recognition events queued for the server, and
// the sync cursor. Only web/src/lib/db/* opens it; everyone else calls the functions next to this file.
import { Dexie, type EntityTable, type Table } from 'dexie';
import type { FaceBox } from '../../../../shared/engine/types.js';

/** 0/1 flags: IndexedDB cannot index booleans. */
export type Flag = 0 | 1;

export interface SubjectRow {
  collection: string;
  name: string;
  /** Server time (ms) of the last change known here; device-made subjects use the device clock. */
  updatedAt: number;
  /** Created on this device and not yet on the server. */
  local: Flag;
}

export interface ExampleRow {
  /** The server's image_id, or a device-made UUID until the server assigns one. */
  id: string;
  collection: string;
  subject: string;
  /** L2-normalised embedding from `model`. */
  embedding: Float32Array;
  /** The engine's embedderId (e.g. `faceapi-recognition@1`): embeddings of other models are not compared. */
  model: string;
  /** A small JPEG of the face, for the UI and, when allowed, for the server (device-enrolled examples only). */
  thumbnail?: Blob;
  createdAt: number;
  origin: 'server' | 'device';
  /** 1 while a device-enrolled example waits to be pushed. */
  pending: Flag;
}

export interface EventRow {
  id?: number;
  collection: string;
  at: number;
  /** The recognised subject, or null for an unknown face. */
  subject: string | null;
  similarity: number;
  box: Omit<FaceBox, 'probability'>;
  /** 1 while queued for the server. */
  pending: Flag;
}

export interface SyncRow {
  collection: string;
  /** Opaque cursor from the last pull (server-defined), null before the first. */
  cursor: string | null;
  pulledAt?: number;
  pushedAt?: number;
  /** The service's similarity threshold, as the server last said (null: it has none). */
  threshold?: number | null;
  /** This device's id for the server (made on the first sync; dedupes retried event pushes). */
  deviceId?: string;
}

export class VisorDb extends Dexie {
  subjects!: Table<SubjectRow, [string, string]>;
  examples!: EntityTable<ExampleRow, 'id'>;
  events!: EntityTable<EventRow, 'id'>;
  sync!: EntityTable<SyncRow, 'collection'>;

  constructor(name = 'visor') {
    super(name);
    this.version(1).stores({
      subjects: '[collection+name], collection',
      examples: 'id, collection, [collection+subject], [collection+pending]',
      events: '++id, collection, [collection+pending]',
      sync: 'collection',
    });
  }
}

let shared: VisorDb | undefined;

/** The app's database, opened on first use. */
export function database(): VisorDb {
  shared ??= new VisorDb();
  return shared;
}
