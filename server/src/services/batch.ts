// Batch operations beyond CompreFace: enrol many images, verify many pairs, in one request. Each item goes
// through the single-item FaceServices method and gets its own result; one bad item never fails the others.
import { MissingParameter, VisorError } from '../../../shared/errors.js';
import type { FaceBox } from '../../../shared/engine/types.js';
import type { FaceServices, ImageInput, ServiceRef } from './types.js';

/** Most items one batch request may hold (a larger batch is refused whole with 26). */
export const MAX_BATCH_ITEMS = 100;

/** A per-item failure, in the same `{message, code}` shape and codes as the single endpoints' errors. */
export interface ItemError {
  message: string;
  code: number;
}

/** An item as the route parsed it: an image (or the error that made it unusable) plus its own options. */
export type Parsed<T> = { ok: T } | { error: VisorError };

export interface EnrolItem {
  /** Overrides the request's `subject` for this item. */
  subject?: string;
  /** The multipart file name, echoed in the item's result. */
  filename?: string;
  image: Parsed<ImageInput>;
}

export type EnrolResult = { index: number; filename?: string } & (
  { image_id: string; subject: string } | { error: ItemError }
);

export interface VerifyPair {
  source: Parsed<ImageInput>;
  target: Parsed<ImageInput>;
}

export type VerifyResult = { index: number } & (
  { similarity: number; source_box: FaceBox; target_box: FaceBox } | { error: ItemError }
);

export interface BatchOptions {
  /** Items analysed at once; the inference worker count keeps one batch from filling the shared queue. */
  concurrency: number;
  /** Told about an item that failed with an unexpected (non-domain) error; the item reports a generic 500-like error. */
  onUnexpected?: (err: unknown, index: number) => void;
}

const GENERIC: ItemError = { message: 'Something went wrong with this item, please try again', code: 0 };

/** Runs `fn` over `items` with at most `concurrency` in flight; results keep the input order. */
async function mapLimited<T, R>(items: T[], concurrency: number, fn: (x: T, i: number) => Promise<R>) {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return out;
}

function unwrap<T>(p: Parsed<T>): T {
  if ('error' in p) throw p.error;
  return p.ok;
}

export function batchServices(services: FaceServices, opts: BatchOptions) {
  /** Domain errors become the item's `{message, code}`; anything else is reported to `onUnexpected`. */
  const failure = (err: unknown, index: number): { error: ItemError } => {
    if (err instanceof VisorError) return { error: { message: err.message, code: err.code } };
    opts.onUnexpected?.(err, index);
    return { error: GENERIC };
  };

  return {
    /** Enrols each image as an example of its subject (the item's, else `subject`); per-item results. */
    async enrolBatch(
      svc: ServiceRef,
      items: EnrolItem[],
      q: { subject?: string; detProbThreshold?: number },
    ): Promise<{ result: EnrolResult[] }> {
      const result = await mapLimited(items, opts.concurrency, async (item, index) => {
        const head = item.filename === undefined ? { index } : { index, filename: item.filename };
        try {
          const subject = item.subject ?? q.subject;
          if (subject === undefined) throw new MissingParameter('subject');
          const added = await services.addExample(svc, subject, unwrap(item.image), {
            detProbThreshold: q.detProbThreshold,
          });
          return { ...head, image_id: added.image_id, subject: added.subject };
        } catch (err) {
          return { ...head, ...failure(err, index) };
        }
      });
      return { result };
    },

    /** Verifies each pair: the source's only face against the target's best-matching face. */
    async verifyBatch(
      svc: ServiceRef,
      pairs: VerifyPair[],
      q: { detProbThreshold?: number },
    ): Promise<{ result: VerifyResult[] }> {
      const query = { detProbThreshold: q.detProbThreshold, plugins: [], status: false };
      const result = await mapLimited(pairs, opts.concurrency, async (pair, index) => {
        try {
          const r = await services.verifyImages(svc, unwrap(pair.source), unwrap(pair.target), query);
          const { source_image_face, face_matches } = r.result[0];
          const best = face_matches[0];
          return {
            index,
            similarity: best.similarity,
            source_box: source_image_face.box,
            target_box: best.box,
          };
        } catch (err) {
          return { index, ...failure(err, index) };
        }
      });
      return { result };
    },
  };
}
