// The search indexes of every recognition service, loaded at start and kept in step with every write:
// local writes are applied after their commit; other processes' writes arrive by LISTEN/NOTIFY.
// All mutations run one after another, and remote changes re-read the database, so order races resolve
// to the committed state. A local update that does not re-read (a rename's, a delete-all's) is queued only if no
// other change was queued for its service since its write began: one queued meanwhile may be a later commit (heard
// from another process, or this one's own write that finished first), which the update would undo; then the
// service is re-read instead. With an external search (pgvector) nothing is held here: queries go to it, and
// local changes are only published for the processes that do hold indexes.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/types.js';
import {
  loadEmbeddingsByIds,
  loadServiceEmbeddings,
  type StoredEmbedding,
} from '../repositories/embeddings.js';
import {
  publishIndexChange,
  subscribeIndexChanges,
  type IndexChange,
} from '../repositories/index-changes.js';
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

/** What a service's index holds (SearchIndexes.contents): its embedder and each example's subject. */
export interface IndexContents {
  embedder: string;
  examples: { id: string; subjectId: string; subject: string | undefined }[];
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
  /** Numbers the changes queued here, this process's and those heard from others (see `since`). */
  private queuedSeq = 0;
  /** Per service, the number of the last change queued for it; `queuedAll`: for every service (a resync). */
  private readonly lastQueued = new Map<string, number>();
  private queuedAll = 0;
  /** This process's pings in flight (settled), by id. */
  private readonly pings = new Map<string, () => void>();

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
    this.queued({ service: serviceId });
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
          if (change.op === 'ping') this.heard(change.id);
          else if (change.origin !== this.origin) {
            this.queued(change);
            void this.serial(() => this.applyChange(change)).catch(() => {});
          }
        },
        () => {
          this.queued();
          void this.serial(() => this.loadAll()).catch(() => {});
        },
      );
      this.queued();
      await this.loadAll();
    });
  }

  /**
   * Resolves once this process has applied every change committed (by any process) before the call: a ping
   * notification's round trip (listeners hear notifications in commit order), then the changes queued before it.
   */
  async settled(): Promise<void> {
    if (this.opts.external || !this.unsubscribe) return this.serial(() => undefined);
    const id = randomUUID();
    const heard = new Promise<void>((resolve) => this.pings.set(id, resolve));
    await publishIndexChange(this.opts.db, { origin: this.origin, op: 'ping', id });
    await heard;
  }

  private heard(id: string): void {
    const resolve = this.pings.get(id);
    if (!resolve) return; // another process's
    this.pings.delete(id);
    void this.serial(resolve);
  }

  /** What the service's index holds now (read-only: for comparing it with the database). */
  contents(serviceId: string): IndexContents {
    const index = this.services.get(serviceId);
    if (!index) return { embedder: this.opts.embedder, examples: [] };
    return {
      embedder: index.embedder,
      examples: index.vectors.exampleIds().map((id) => {
        const subjectId = index.vectors.subjectOf(id)!;
        return { id, subjectId, subject: index.names.get(subjectId) };
      }),
    };
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
   * Taken before a write's transaction begins, and given back with its change (applyOwn, apply): whether a change
   * was queued for the service in between, which its local update must not undo.
   */
  since(): number {
    return this.queuedSeq;
  }

  /**
   * After a commit: applies a change this process made (and published: server/src/collections) the way other
   * processes apply it when they hear of it. `since` (see there): a removal with a change queued meanwhile (the
   * ids may have been added again since) re-reads the service instead.
   */
  applyOwn(change: IndexChange, since = Infinity): Promise<void> {
    if (this.opts.external) return Promise.resolve();
    const reread =
      change.op === 'remove' && this.changedSince(change.service, since) ? change.service : undefined;
    this.queued(change);
    return this.serial(() => (reread ? this.loadService(reread) : this.applyChange(change)));
  }

  /**
   * After a commit: applies a local change to this process's index, in order with every other change. `since`
   * (see there): with a change queued meanwhile, the service is re-read instead (that change may be later).
   */
  apply(serviceId: string, fn: (index: ServiceIndex) => void, since = Infinity): Promise<void> {
    if (this.opts.external) return Promise.resolve();
    const stale = this.changedSince(serviceId, since);
    this.queued({ service: serviceId });
    // A service not loaded yet (created since) is read whole: the database knows its embedder.
    return this.serial(() =>
      !stale && this.services.has(serviceId) ? fn(this.get(serviceId)) : this.loadService(serviceId),
    );
  }

  /** After a commit: re-reads one service from the database. */
  reload(serviceId: string): Promise<void> {
    if (this.opts.external) return Promise.resolve();
    this.queued({ service: serviceId });
    return this.serial(() => this.loadService(serviceId));
  }

  private changedSince(serviceId: string, since: number): boolean {
    return Math.max(this.lastQueued.get(serviceId) ?? 0, this.queuedAll) > since;
  }

  /** Numbers a change as it is queued: of one service, of some (dropped), or of every one (none given). */
  private queued(change?: { service: string } | { services: string[] } | { op: 'resync' | 'ping' }): void {
    const n = ++this.queuedSeq;
    if (change && 'service' in change) this.lastQueued.set(change.service, n);
    else {
      // a dropped service's mark goes: the numbers of every service stand for it
      if (change && 'services' in change) for (const id of change.services) this.lastQueued.delete(id);
      this.queuedAll = n;
    }
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
      case 'ping':
        return;
    }
  }
}
