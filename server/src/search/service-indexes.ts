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
import { listServiceEmbedders, serviceEmbedder } from '../repositories/embedder-jobs.js';
import { VectorIndex } from './vector-index.js';

/**
 * A search asked with an embedder key that is no longer the service's: the service switched embedders (a job,
 * services/embedder-jobs.ts) while the request was in flight. `current`: the service's embedder now; the
 * caller embeds its query with it and searches again (services/matching.ts, withCurrentEmbedder).
 */
export class StaleEmbedder extends Error {
  constructor(
    readonly serviceId: string,
    readonly current: string,
  ) {
    super(`service ${serviceId} now compares ${current} embeddings`);
    this.name = 'StaleEmbedder';
  }
}

/** One service's collection: vectors of its embedder (issue 17.1) plus the names of their subjects. */
export class ServiceIndex {
  readonly names = new Map<string, string>();
  constructor(
    readonly vectors: VectorIndex,
    /** The embedder key whose vectors these are (the service's when it was loaded). */
    readonly embedder = '',
  ) {}

  /** Adds rows of this index's size (a vector of another embedder's size, racing a switch, is left out). */
  add(rows: readonly StoredEmbedding[]): void {
    for (const r of rows) {
      if (r.vector.length !== this.vectors.dim) continue;
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
  searchSubjects(serviceId: string, query: Float32Array, k: number, embedder?: string): Promise<SubjectHit[]>;
  example(serviceId: string, exampleId: string, embedder?: string): Promise<IndexedExample | undefined>;
}

export interface SearchIndexesOptions {
  db: Db;
  /** The default embedder key (services created before embedders were chosen per service) and its size. */
  embedder: string;
  dim: number;
  /** The size of another embedder key (a service's own, issue 17.1); undefined: this server does not run it. */
  dimOf?: (embedder: string) => number | undefined;
  /** Collection size from which a service's index is quantised (VectorIndex's quantiseFrom; default its own). */
  quantiseFrom?: number;
  /** Rows the quantised index's first stage passes to its int8 scan (VectorIndex's candidates; default its own). */
  candidates?: number;
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

  /**
   * The `k` nearest distinct subjects to the unit vector `query` in the service, best first. `embedder`: the
   * service's (its key); StaleEmbedder when the service has switched to another since the request began.
   */
  async searchSubjects(
    serviceId: string,
    query: Float32Array,
    k: number,
    embedder = this.opts.embedder,
  ): Promise<SubjectHit[]> {
    if (this.opts.external) return this.opts.external.searchSubjects(serviceId, query, k, embedder);
    const index = await this.current(serviceId, embedder);
    if (index.vectors.dim !== query.length) return [];
    const hits: SubjectHit[] = [];
    for (const hit of index.vectors.searchSubjects(query, k)) {
      const vector = index.vectors.vector(hit.id);
      const subject = index.names.get(hit.subjectId);
      if (vector && subject !== undefined)
        hits.push({ subjectId: hit.subjectId, subject, exampleId: hit.id, score: hit.score, vector });
    }
    return hits;
  }

  /**
   * The subject and vector of an indexed example (undefined: not in the service, or not embedded by this model);
   * StaleEmbedder as searchSubjects.
   */
  async example(
    serviceId: string,
    exampleId: string,
    embedder = this.opts.embedder,
  ): Promise<IndexedExample | undefined> {
    if (this.opts.external) return this.opts.external.example(serviceId, exampleId, embedder);
    const index = await this.current(serviceId, embedder);
    if (index.embedder !== embedder) return undefined;
    const vector = index.vectors.vector(exampleId);
    const subjectId = index.vectors.subjectOf(exampleId);
    const subject = subjectId === undefined ? undefined : index.names.get(subjectId);
    return vector && subjectId !== undefined && subject !== undefined
      ? { subjectId, subject, vector }
      : undefined;
  }

  /**
   * The service's index for `embedder`. When it holds another embedder's vectors, the database says which is the
   * service's now: the index is re-read only if it is not that one (once, however many requests ask), and a
   * request whose `embedder` is no longer the service's gets StaleEmbedder.
   */
  private async current(serviceId: string, embedder: string): Promise<ServiceIndex> {
    const index = this.services.get(serviceId);
    if (index?.embedder === embedder) return index;
    const now = await serviceEmbedder(this.opts.db, serviceId);
    if (now === undefined) {
      await this.reload(serviceId); // gone: an empty index of the default embedder
      return this.get(serviceId);
    }
    await this.serial(() =>
      this.services.get(serviceId)?.embedder === now ? undefined : this.loadService(serviceId, now),
    );
    if (now !== embedder) throw new StaleEmbedder(serviceId, now);
    return this.get(serviceId);
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
      s = this.fresh(this.opts.embedder);
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
    // A service not loaded yet (created since) is read whole: the database knows its embedder.
    return this.serial(() =>
      this.services.has(serviceId) ? fn(this.get(serviceId)) : this.loadService(serviceId),
    );
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
    const list = await listServiceEmbedders(this.opts.db);
    const ids = new Set(list.map((s) => s.id));
    for (const [id, s] of this.services)
      if (!ids.has(id)) {
        s.vectors.clear(); // closes a quantised index's file now rather than at garbage collection
        this.services.delete(id);
      }
    for (const s of list) await this.loadService(s.id, s.embedder);
  }

  /** Reads the service's embeddings by its embedder (read from the database unless given). */
  private async loadService(serviceId: string, embedder?: string): Promise<void> {
    const key = embedder ?? (await serviceEmbedder(this.opts.db, serviceId)) ?? this.opts.embedder;
    const s = this.fresh(key);
    // An embedder this server does not run leaves the index empty (searches find nothing, as its size differs).
    if (this.dimOf(key) !== undefined) s.add(await loadServiceEmbeddings(this.opts.db, serviceId, key));
    this.services.get(serviceId)?.vectors.clear();
    this.services.set(serviceId, s);
  }

  private dimOf(embedder: string): number | undefined {
    return embedder === this.opts.embedder ? this.opts.dim : this.opts.dimOf?.(embedder);
  }

  private fresh(embedder: string): ServiceIndex {
    const dim = this.dimOf(embedder) ?? this.opts.dim;
    return new ServiceIndex(
      new VectorIndex(dim, { quantiseFrom: this.opts.quantiseFrom, candidates: this.opts.candidates }),
      embedder,
    );
  }

  private async applyChange(change: IndexChange): Promise<void> {
    switch (change.op) {
      case 'add': {
        const index = this.services.get(change.service);
        if (!index) return this.loadService(change.service);
        index.add(await loadEmbeddingsByIds(this.opts.db, change.service, index.embedder, change.ids));
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
