// Device sync rules. Pull: a device gets a service's subjects and embeddings (never images) changed since its
// cursor, or a snapshot without one. Push: examples enrolled on the device (embedding + optional image) and
// queued recognition events. The protocol and its conflict rule: shared/sync.ts.
import { ValidationError } from '../../../shared/errors.js';
import type {
  SyncConfig,
  SyncPull,
  SyncPushBody,
  SyncPushExample,
  SyncPushResult,
} from '../../../shared/sync.js';
import {
  EVENTS_CSV_MAX_ROWS,
  eventsCsv,
  type KioskEvent,
  type KioskEventFilter,
  type KioskEventPage,
} from '../../../shared/sync-events.js';
import type { CollectionStore, NewExample } from '../collections/index.js';
import type { Db } from '../db/types.js';
import { sniffFormat } from '../image/sniff.js';
import { exampleOwners } from '../repositories/examples.js';
import * as repo from '../repositories/sync.js';
import { serviceEmbedder, withCurrentEmbedder } from './matching.js';
import type { EngineView, ServiceEmbedder } from './service-embedder.js';
import type { ServiceRef } from './types.js';
import { checkSubjectName, isUuid } from './validate.js';

export const PULL_LIMIT = 1000;
const MAX_BIGINT = 2n ** 63n - 1n;

const toVector = (bytes: Uint8Array): number[] => {
  const v = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(v.buffer).set(bytes);
  return Array.from(v);
};

const thresholdOf = (svc: ServiceRef) => (svc.minSimilarity > 0 ? svc.minSimilarity : null);

export function createSyncService(deps: {
  db: Db;
  engine: EngineView;
  /** Pushed examples are written through it (with their images, as SAVE_IMAGES_TO_DB says). */
  collections: CollectionStore;
}) {
  const { db, engine, collections } = deps;
  /** The service's embedder (issue 17.1): devices pull, push and compare its embeddings only. */
  const embedderFor = (svc: ServiceRef) => serviceEmbedder({ engine }, svc);

  /** What a device needs before it starts its engine: the model to load (`GET sync/config`). */
  function config(svc: ServiceRef): SyncConfig {
    const e = embedderFor(svc);
    return { embedder: e.key, model: e.model, dim: e.dim, threshold: thresholdOf(svc) };
  }

  async function pull(svc: ServiceRef, cursor: string | undefined, limit = PULL_LIMIT): Promise<SyncPull> {
    // A cursor is a bigint log position: at most 2^63 - 1, or PostgreSQL refuses it (a 500).
    if (cursor !== undefined && (!/^\d{1,19}$/.test(cursor) || BigInt(cursor) > MAX_BIGINT)) {
      throw new ValidationError('cursor is not valid');
    }
    const embedder = embedderFor(svc).key;
    const base = { embedder, threshold: thresholdOf(svc) };
    return db.transaction(async (tx) => {
      if (cursor === undefined) {
        // Snapshot: the log position first, so changes made while reading are sent again next time.
        const head = await repo.latestChange(tx, svc.id);
        const examples = await repo.embeddedExamples(tx, svc.id, embedder);
        return {
          ...base,
          cursor: head,
          more: false,
          subjects: await repo.subjectNames(tx, svc.id),
          removed_subjects: [],
          examples: examples.map((e) => ({
            image_id: e.id,
            subject: e.subject,
            embedding: toVector(e.vector),
          })),
          removed_examples: [],
        };
      }
      const changes = await repo.changesSince(tx, svc.id, cursor, limit + 1);
      const more = changes.length > limit;
      const page = changes.slice(0, limit);
      const subjectIds = [...new Set(page.filter((c) => c.kind === 'subject').map((c) => c.key))];
      const exampleIds = [...new Set(page.filter((c) => c.kind === 'example').map((c) => c.key))];
      const subjects = await repo.subjectNames(tx, svc.id, subjectIds);
      const oldNames = page.flatMap((c) => (c.oldName !== null ? [c.oldName] : []));
      const current = new Set(subjects.map((s) => s.toLowerCase()));
      const examples = await repo.embeddedExamples(tx, svc.id, embedder, exampleIds);
      const found = new Set(examples.map((e) => e.id));
      const owners = await exampleOwners(
        tx,
        exampleIds.filter((id) => !found.has(id)),
      );
      return {
        ...base,
        cursor: page.at(-1)?.seq ?? cursor,
        more,
        subjects,
        removed_subjects: [...new Set(oldNames)].filter((n) => !current.has(n.toLowerCase())),
        examples: examples.map((e) => ({
          image_id: e.id,
          subject: e.subject,
          embedding: toVector(e.vector),
        })),
        // An example that still exists but has no embedding by this model yet is not a removal.
        removed_examples: exampleIds.filter((id) => !found.has(id) && !owners.has(id)),
      };
    });
  }

  function checkExample(e: Partial<SyncPushExample>, embedder: ServiceEmbedder): string | undefined {
    if (typeof e.image_id !== 'string' || !isUuid(e.image_id)) return 'image_id must be a UUID';
    if (e.embedder !== embedder.key)
      return `embedded by ${String(e.embedder)}; this server compares ${embedder.key}`;
    if (!Array.isArray(e.embedding) || e.embedding.length !== embedder.dim)
      return `embedding must have ${embedder.dim} values`;
    if (!e.embedding.every((x) => typeof x === 'number' && Number.isFinite(x)))
      return 'embedding is not numeric';
    try {
      checkSubjectName(typeof e.subject === 'string' ? e.subject : undefined);
    } catch (err) {
      return (err as Error).message;
    }
    return undefined;
  }

  /** A pushed example (any JSON) as the collection store takes it, or why it is rejected. */
  function toNewExample(value: unknown, embedder: ServiceEmbedder): NewExample | string {
    if (typeof value !== 'object' || value === null) return 'example must be an object';
    const e = value as Partial<SyncPushExample>;
    const bad = checkExample(e, embedder);
    if (bad) return bad;
    let image: Uint8Array | undefined;
    if (e.image !== undefined) {
      image = typeof e.image === 'string' ? new Uint8Array(Buffer.from(e.image, 'base64')) : undefined;
      const format = image && sniffFormat(image);
      if (format !== 'jpeg' && format !== 'png') return 'image must be a Base64 JPEG or PNG';
    }
    const { image_id, subject, embedding } = e as SyncPushExample;
    return {
      id: image_id.toLowerCase(),
      subject,
      image,
      embedder: embedder.key,
      vector: Float32Array.from(embedding),
    };
  }

  /**
   * The examples of a push, checked against the service's embedder now: when it switched since the request
   * resolved the service (the collection store refuses the old model's embeddings from the switch on), they are
   * checked again, and the old model's are answered as another model's instead of being stored unfindable.
   */
  const pushExamples = (svc: ServiceRef, examples: readonly unknown[]) =>
    withCurrentEmbedder(svc, (now) => writeExamples(now, examples));

  /** Writes the valid examples in one collection-store operation; answers each example's status, in order. */
  async function writeExamples(
    svc: ServiceRef,
    examples: readonly unknown[],
  ): Promise<SyncPushResult['examples']> {
    const embedder = embedderFor(svc);
    const parsed = examples.map((e) => toNewExample(e, embedder));
    const valid = parsed.filter((p): p is NewExample => typeof p !== 'string');
    const statuses = valid.length ? await collections.addExamples(svc.id, valid) : [];
    let next = 0;
    return parsed.map((p, i) => {
      const imageId = String((examples[i] as Partial<SyncPushExample> | null)?.image_id);
      if (typeof p === 'string') return { image_id: imageId, status: 'rejected', message: p };
      const status = statuses[next++];
      return status === 'taken'
        ? { image_id: imageId, status: 'rejected', message: 'image_id is taken' }
        : { image_id: imageId, status };
    });
  }

  /** A push the contract has checked (contracts/sync.ts): its examples are answered one by one, its events stored. */
  async function push(svc: ServiceRef, body: SyncPushBody): Promise<SyncPushResult> {
    const rows = (body.events ?? []).map((e) => ({
      deviceId: body.device_id,
      eventId: e.event_id,
      at: new Date(e.at),
      subject: e.subject,
      similarity: e.similarity,
      box: { x_min: e.box.x_min, y_min: e.box.y_min, x_max: e.box.x_max, y_max: e.box.y_max },
    }));
    const results = await pushExamples(svc, body.examples ?? []);
    const received = rows.length ? await db.transaction((tx) => repo.insertEvents(tx, svc.id, rows)) : 0;
    return { examples: results, events: { received, duplicates: rows.length - received } };
  }

  const toWire = (e: repo.SyncEvent): KioskEvent => ({
    device_id: e.deviceId,
    event_id: e.eventId,
    at: e.at.toISOString(),
    subject: e.subject,
    similarity: e.similarity,
    box: e.box,
  });

  function checkFilter(f: KioskEventFilter): void {
    if (f.from && f.to && f.from.getTime() >= f.to.getTime())
      throw new ValidationError('from must be before to');
  }

  /** One page of a service's events matching `q` (as the contract read it), newest first, with the total and the devices. */
  async function events(
    svc: ServiceRef,
    q: KioskEventFilter & { limit: number; offset: number },
  ): Promise<KioskEventPage> {
    checkFilter(q);
    const { limit, offset } = q;
    const [list, total, devices] = await Promise.all([
      repo.listEvents(db, svc.id, q, { limit, offset }),
      repo.countEvents(db, svc.id, q),
      repo.eventDevices(db, svc.id),
    ]);
    return { events: list.map(toWire), total, offset, limit, devices };
  }

  /** Every event matching `f` (the newest EVENTS_CSV_MAX_ROWS at most) as CSV, newest first. */
  async function eventsCsvExport(svc: ServiceRef, f: KioskEventFilter = {}): Promise<string> {
    checkFilter(f);
    const list = await repo.listEvents(db, svc.id, f, { limit: EVENTS_CSV_MAX_ROWS });
    return eventsCsv(list.map(toWire));
  }

  return { config, pull, push, events, eventsCsv: eventsCsvExport };
}

export type SyncService = ReturnType<typeof createSyncService>;
