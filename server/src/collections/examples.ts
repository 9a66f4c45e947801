// Example writes of the collection store: add (image + embedding), delete, and replace embeddings (re-embed).
import type { Queryable } from '../db/types.js';
import { sniffFormat } from '../image/sniff.js';
import { serviceEmbedder } from '../repositories/embedder-jobs.js';
import { insertEmbedding } from '../repositories/embeddings.js';
import * as examples from '../repositories/examples.js';
import { deleteSubject, findOrInsertSubject, findSubject } from '../repositories/subjects.js';
import { StaleEmbedder } from '../search/service-indexes.js';
import { serviceWrite, type StoreCtx } from './write.js';

/** An example to add: its id (a UUID), subject name (created if missing), optional image and one embedding. */
export interface NewExample {
  id: string;
  subject: string;
  /** The image bytes, stored as SAVE_IMAGES_TO_DB says (database row or file). */
  image?: Uint8Array;
  /** The embedder key of `vector`. */
  embedder: string;
  vector: Float32Array;
}

/** Per example added: created, already in this service (left as it is), or the id belongs to another service. */
export type AddStatus = 'created' | 'exists' | 'taken';

export const contentTypeOf = (bytes: Uint8Array | undefined): string => {
  const f = bytes && sniffFormat(bytes);
  return f ? (f === 'ico' ? 'image/x-icon' : `image/${f}`) : 'application/octet-stream';
};

async function ownerOf(q: Queryable, id: string): Promise<string | undefined> {
  return (await examples.exampleOwners(q, [id])).get(id);
}

export function exampleWrites(ctx: StoreCtx) {
  const removal = (serviceId: string, rows: examples.ExampleRow[]) => ({
    value: rows,
    change: { service: serviceId, op: 'remove' as const, ids: rows.map((r) => r.id) },
    removedFiles: rows.map((r) => r.imagePath),
  });

  return {
    /**
     * Adds examples in one transaction; returns each one's status, in order. StaleEmbedder (nothing added) when a
     * new example's embedding is not by the service's embedder: the service switched embedders (issue 17.1) since
     * the caller embedded it, and the switching job, which re-embeds what was enrolled before its switch, would
     * not see it, so it would be left unfindable; the caller embeds it again with the new one.
     */
    addExamples: (serviceId: string, list: readonly NewExample[]) =>
      serviceWrite(ctx, serviceId, async (tx, stage) => {
        const statuses: AddStatus[] = [];
        const created: string[] = [];
        // read under the service's lock, which the switch takes too
        const embedder = await serviceEmbedder(tx, serviceId);
        for (const e of list) {
          const owner = await ownerOf(tx, e.id);
          if (owner) {
            statuses.push(owner === serviceId ? 'exists' : 'taken');
            continue;
          }
          if (embedder !== undefined && e.embedder !== embedder) throw new StaleEmbedder(serviceId, embedder);
          const subject = await findOrInsertSubject(tx, serviceId, e.subject);
          const staged = e.image ? await stage(serviceId, e.id, e.image) : undefined;
          const inserted = await examples.insertExample(tx, {
            id: e.id,
            serviceId,
            subjectId: subject.id,
            contentType: contentTypeOf(e.image),
            imagePath: staged?.imagePath ?? null,
          });
          if (!inserted) {
            // another write (of another service: this one's are serialised) took the id meanwhile
            await staged?.discard();
            if (subject.created) await deleteSubject(tx, subject.id);
            statuses.push((await ownerOf(tx, e.id)) === serviceId ? 'exists' : 'taken');
            continue;
          }
          if (e.image) await ctx.images.saveRow(tx, e.id, e.image);
          await insertEmbedding(tx, e.id, e.embedder, e.vector);
          statuses.push('created');
          created.push(e.id);
        }
        return {
          value: statuses,
          change: created.length ? { service: serviceId, op: 'add', ids: created } : undefined,
        };
      }),

    /** Deletes those of `ids` (lower-case UUIDs) that belong to the service; returns what was deleted. */
    deleteExamples: (serviceId: string, ids: readonly string[]) =>
      serviceWrite(ctx, serviceId, async (tx) =>
        removal(serviceId, await examples.deleteExamples(tx, serviceId, ids)),
      ),

    /**
     * Deletes every example of the subject and the subject itself (nothing when it does not exist), or, without
     * a subject, every example of the service (the subjects stay).
     */
    deleteExamplesOf: (serviceId: string, subject: string | undefined) =>
      serviceWrite(ctx, serviceId, async (tx) => {
        if (subject === undefined) return removal(serviceId, await examples.deleteExamplesOf(tx, serviceId));
        const row = await findSubject(tx, serviceId, subject);
        if (!row) return { value: [] };
        const rows = await examples.deleteExamplesOf(tx, serviceId, row.id);
        await deleteSubject(tx, row.id);
        return {
          ...removal(serviceId, rows),
          local: (index) => {
            for (const r of rows) index.vectors.remove(r.id);
            index.names.delete(row.id);
          },
        };
      }),

    /**
     * Stores new embeddings (by `embedder`, replacing that embedder's earlier ones) of existing examples of the
     * service; returns the ids stored (an example deleted meanwhile is skipped).
     */
    replaceEmbeddings: (
      serviceId: string,
      embedder: string,
      items: readonly { exampleId: string; vector: Float32Array }[],
    ) =>
      serviceWrite(ctx, serviceId, async (tx) => {
        const owners = await examples.exampleOwners(
          tx,
          items.map((i) => i.exampleId),
        );
        const stored: string[] = [];
        for (const i of items) {
          if (owners.get(i.exampleId) !== serviceId) continue;
          await insertEmbedding(tx, i.exampleId, embedder, i.vector);
          stored.push(i.exampleId);
        }
        return {
          value: stored,
          change: stored.length ? { service: serviceId, op: 'add', ids: stored } : undefined,
        };
      }),
  };
}
