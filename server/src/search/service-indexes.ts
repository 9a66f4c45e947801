// The search indexes of every recognition service, loaded at start and kept in step with every write:
// local writes are applied after their commit; other processes' writes arrive by LISTEN/NOTIFY.
// All mutations run one after another, and remote changes re-read the database, so order races resolve
// to the committed state. With an external search (pgvector) nothing is held here: queries go to it, and
// local changes are only published for the processes that do hold indexes.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/types.js';
import {
  loadEmbeddingsByIds,
  loadServiceEmbeddings,
  type StoredEmbedding,
} from '../repositories/embeddings.js';
import { subscribeIndexChanges, type IndexChange } from '../repositories/index-changes.js';
import { listServiceIds } from '../repositories/services.js';
import { VectorIndex } from './vector-index.js';

/** One service's collection: vectors plus the names of their subjects. */
export class ServiceIndex {
  readonly names = new Map<string, string>();
  constructor(readonly vectors: VectorIndex) {}

  add(rows: readonly StoredEmbedding[]): void {
    for (const r of rows) {
      this.vectors.add(r.id, r.subjectId, r.vector);
      this.names.set(r.subjectId, r.subject);
    }
  }
}

/** A subject's best example for a query: its stored unit vector and the subject's name. */
export interface SubjectHit {
  subjectId: string;
  subject: string;
  exampleId: string;
  /** Dot product with the query (cosine similarity). */
  score: number;
  vector: Float32Array;
}

/** An indexed example: its subject and stored unit vector. */
export interface IndexedExample {
  subjectId: string;
  subject: string;
  vector: Float32Array;
}

/** Search answered outside this process (the database's pgvector index). */
export interface ExternalSearch {
  /** The `k` nearest distinct subjects of the service, best first. */
  searchSubjects(serviceId: string, query: Float32Array, k: number): Promise<SubjectHit[]>;
  example(serviceId: string, exampleId: string): Promise<IndexedExample | undefined>;
}

export interface SearchIndexesOptions {
  db: Db;
  /** Embedder model id: only embeddings it produced are searchable. */
  embedder: string;
  dim: number;
  /** Collection size from which a service's index is quantised (VectorIndex's quantiseFrom; default its own). */
  quantiseFrom?: number;
  /** Search there instead of in memory (nothing is loaded). */
  external?: ExternalSearch;
}

export class SearchIndexes {
  /** Identifies this process's notifications, which it has already applied. */
  readonly origin = randomUUID();
  private readonly services = new Map<string, ServiceIndex>();
  private queue: Promise<unknown> = Promise.resolve();
  private unsubscribe?: () => Promise<void>;

  constructor(private readonly opts: SearchIndexesOptions) {}

  /** Where queries are answered. */
  get kind(): 'memory' | 'external' {
    return this.opts.external ? 'external' : 'memory';
  }

  /** The `k` nearest distinct subjects to the unit vector `query` in the service, best first. */
  async searchSubjects(serviceId: string, query: Float32Array, k: number): Promise<SubjectHit[]> {
    if (this.opts.external) return this.opts.external.searchSubjects(serviceId, query, k);
    const index = this.get(serviceId);
    const hits: SubjectHit[] = [];
    for (const hit of index.vectors.searchSubjects(query, k)) {
      const vector = index.vectors.vector(hit.id);
      const subject = index.names.get(hit.subjectId);
      if (vector && subject !== undefined)
        hits.push({ subjectId: hit.subjectId, subject, exampleId: hit.id, score: hit.score, vector });
    }
    return hits;
  }

  /** The subject and vector of an indexed example (undefined: not in the service, or not embedded by this model). */
  async example(serviceId: string, exampleId: string): Promise<IndexedExample | undefined> {
    if (this.opts.external) return this.opts.external.example(serviceId, exampleId);
    const index = this.get(serviceId);
    const vector = index.vectors.vector(exampleId);
    const subjectId = index.vectors.subjectOf(exampleId);
    const subject = subjectId === undefined ? undefined : index.names.get(subjectId);
    return vector && subjectId !== undefined && subject !== undefined
      ? { subjectId, subject, vector }
      : undefined;
  }

  /** Subscribes to other processes' changes, then loads every recognition service (not with an external search). */
  start(): Promise<void> {
    if (this.opts.external) return Promise.resolve();
    return this.serial(async () => {
      this.unsubscribe = await subscribeIndexChanges(
        this.opts.db,
        (change) => {
          if (change.origin !== this.origin) void this.serial(() => this.applyChange(change)).catch(() => {});
        },
        () => void this.serial(() => this.loadAll()).catch(() => {}),
      );
      await this.loadAll();
    });
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.queue.catch(() => {});
  }

  /** The index of a service (empty if it has no examples yet). */
  get(serviceId: string): ServiceIndex {
    let s = this.services.get(serviceId);
    if (!s) {
      s = this.fresh();
      this.services.set(serviceId, s);
    }
    return s;
  }

  /**
   * After a commit: applies a change this process made (and published: server/src/collections) the way other
   * processes apply it when they hear of it.
   */
  applyOwn(change: IndexChange): Promise<void> {
    if (this.opts.external) return Promise.resolve();
    return this.serial(() => this.applyChange(change));
  }

  /** After a commit: applies a local change to this process's index, in order with every other change. */
  apply(serviceId: string, fn: (index: ServiceIndex) => void): Promise<void> {
    if (this.opts.external) return Promise.resolve();
    return this.serial(() => fn(this.get(serviceId)));
  }

  /** After a commit: re-reads one service from the database. */
  reload(serviceId: string): Promise<void> {
    if (this.opts.external) return Promise.resolve();
    return this.serial(() => this.loadService(serviceId));
  }

  private serial<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  private async loadAll(): Promise<void> {
    const ids = await listServiceIds(this.opts.db, 'recognition');
    for (const [id, s] of this.services)
      if (!ids.includes(id)) {
        s.vectors.clear(); // closes a quantised index's file now rather than at garbage collection
        this.services.delete(id);
      }
    for (const id of ids) await this.loadService(id);
  }

  private async loadService(serviceId: string): Promise<void> {
    const rows = await loadServiceEmbeddings(this.opts.db, serviceId, this.opts.embedder);
    const s = this.fresh();
    s.add(rows.filter((r) => r.vector.length === this.opts.dim));
    this.services.get(serviceId)?.vectors.clear();
    this.services.set(serviceId, s);
  }

  private fresh(): ServiceIndex {
    return new ServiceIndex(new VectorIndex(this.opts.dim, { quantiseFrom: this.opts.quantiseFrom }));
  }

  private async applyChange(change: IndexChange): Promise<void> {
    switch (change.op) {
      case 'add': {
        const rows = await loadEmbeddingsByIds(this.opts.db, change.service, this.opts.embedder, change.ids);
        this.get(change.service).add(rows.filter((r) => r.vector.length === this.opts.dim));
        return;
      }
      case 'remove':
        for (const id of change.ids) this.services.get(change.service)?.vectors.remove(id);
        return;
      case 'reload':
        return this.loadService(change.service);
      case 'drop':
        for (const id of change.services) {
          this.services.get(id)?.vectors.clear();
          this.services.delete(id);
        }
        return;
      case 'resync':
        return this.loadAll();
    }
  }
}
