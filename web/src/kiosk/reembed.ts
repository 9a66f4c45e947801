// Enrolments still waiting to be pushed when the service switched embedder: their vectors are of the old model, which
// the service refuses, so the kiosk embeds them again with the new engine from the face photo it kept (the enrolment
// thumbnail, the face with a margin) before pushing them. One it cannot re-embed (no photo kept, no face found in
// it) stays queued and is named to the operator, who must enrol that person again: it is never dropped.
import type { FaceEngine } from '../../../shared/engine/types.js';
import type { ExampleRow } from '../lib/db/database.js';
import type { BrowserEngine } from '../lib/inference/browser-engine.js';
import { pendingExamples, reembedQueuedExample } from '../lib/db/examples.js';

export interface Reembedded {
  /** Re-embedded with the engine's model, still queued (the next push takes them). */
  done: { subject: string; embedding: Float32Array }[];
  /** Kept queued with their old vectors: they must be enrolled again. */
  failed: { subject: string; reason: string }[];
}

type Embedder = Pick<BrowserEngine, 'embedderId' | 'analyzeBitmap'>;

/** The queued examples of `collection` that `engine`'s model did not make (the ones re-embedding is for). */
export async function otherModelQueued(
  collection: string,
  engine: Pick<FaceEngine, 'embedderId'>,
): Promise<ExampleRow[]> {
  return (await pendingExamples(collection)).filter((e) => e.model !== engine.embedderId);
}

/** The embedding of the biggest face in `row`'s kept photo, or why there is none. */
async function embedAgain(row: ExampleRow, engine: Embedder): Promise<Float32Array | string> {
  if (!row.thumbnail) return 'no photo of the face was kept';
  const bitmap = await createImageBitmap(row.thumbnail);
  const { faces } = await engine.analyzeBitmap(bitmap, { embed: true, limit: 1 });
  return faces[0]?.embedding ?? 'no face found in its photo';
}

/**
 * Re-embeds `rows` (queued examples of another model) with `engine`, one by one, calling `progress` before each.
 * A failure of one (no photo, an undecodable photo, no face) is reported and the others go on; `failedBefore` (id
 * to reason) remembers the failures of this engine's model, not tried again (the same photo gives the same answer).
 */
export async function reembedQueued(
  rows: readonly ExampleRow[],
  engine: Embedder,
  progress: (done: number, total: number) => void = () => {},
  failedBefore = new Map<string, string>(),
): Promise<Reembedded> {
  const out: Reembedded = { done: [], failed: [] };
  const todo = rows.filter((row) => !failedBefore.has(row.id));
  for (const [i, row] of todo.entries()) {
    progress(i, todo.length);
    const embedding = await embedAgain(row, engine).catch((e: unknown) => `${(e as Error).message}`);
    if (typeof embedding === 'string') failedBefore.set(row.id, embedding);
    else if (await reembedQueuedExample(row.id, embedding, engine.embedderId))
      out.done.push({ subject: row.subject, embedding });
  }
  for (const row of rows) {
    const reason = failedBefore.get(row.id);
    if (reason) out.failed.push({ subject: row.subject, reason });
  }
  return out;
}

/** What the operator is told about `r`, or '' when there was nothing to re-embed. */
export function describeReembedded(r: Reembedded, model: string): string {
  const n = (k: number) => `${k} waiting enrolment${k === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (r.done.length) parts.push(`${n(r.done.length)} re-embedded for ${model}.`);
  if (r.failed.length) {
    const who = [...new Set(r.failed.map((f) => f.subject))].join(', ');
    const why = [...new Set(r.failed.map((f) => f.reason))].join('; ');
    parts.push(`${n(r.failed.length)} could not be re-embedded (${why}): enrol ${who} again.`);
  }
  return parts.join(' ');
}
