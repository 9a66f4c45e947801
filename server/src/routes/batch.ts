// Batch endpoints beyond CompreFace (mounted at /api/v1): enrol many images, verify many pairs. Every item
// gets its own result, `{index, …}` or `{index, error: {message, code}}` with the single endpoints' codes, and
// the response is 200 even when some items failed (multi-status semantics in a 200, like a bulk API).
// Limits: MAX_BATCH_ITEMS per request (more is 26 for the whole request); MAX_REQUEST_SIZE applies to the
// whole request body (413, code 38, before any item runs) and MAX_FILE_SIZE to each image (that item's 38).
// Contracts: contracts/batch.ts.
import type { Context } from 'hono';
import { IncorrectArgument, MissingPart, ValidationError, VisorError } from '../../../shared/errors.js';
import { checkCount, enrolBatch, verifyBatch } from '../contracts/batch.js';
import { apiKey } from '../http/api-key.js';
import { contractApp, openapiJson } from '../http/contract.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import { fromBase64, fromFile, type ImageLimits } from '../http/images.js';
import { readJsonObject } from '../http/json.js';
import { batchServices, type EnrolItem, type Parsed } from '../services/batch.js';
import type { ImageInput } from '../services/types.js';

type Image = Parsed<ImageInput>;

/** Runs a parser and keeps a domain error as the item's result instead of failing the request. */
function parsed<T>(fn: () => T): Parsed<T> {
  try {
    return { ok: fn() };
  } catch (error) {
    if (error instanceof VisorError) return { error };
    throw error;
  }
}

/** A multipart file part, checked like the single endpoints' (a bad one is that item's error). */
async function fileItem(file: File, limits: ImageLimits): Promise<Image> {
  try {
    return { ok: await fromFile(file, limits) };
  } catch (error) {
    if (error instanceof VisorError) return { error };
    throw error;
  }
}

const isJson = (c: Context) => /^application\/([\w.+-]*\+)?json\b/i.test(c.req.header('content-type') ?? '');

/** Enrolment items from many `file` parts, or from JSON `{"images": [{"subject"?, "file": base64}]}`. */
async function readEnrolItems(c: Context, limits: ImageLimits): Promise<EnrolItem[]> {
  if (isJson(c)) {
    const images = (await readJsonObject(c)).images;
    if (!Array.isArray(images)) throw new ValidationError('images must be an array of {subject?, file}');
    checkCount(images.length, 'images');
    return images.map((raw: unknown) => {
      const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const { subject } = item;
      if (subject !== undefined && typeof subject !== 'string') {
        return { image: { error: new ValidationError('subject must be a string') } };
      }
      return { subject, image: parsed(() => fromBase64('file', item.file, limits)) };
    });
  }
  if (!/^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '')) throw new MissingPart('file');
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw new IncorrectArgument('Request body is not valid multipart/form-data');
  }
  const parts = form.getAll('file');
  checkCount(parts.length, 'files');
  const items: EnrolItem[] = [];
  for (const part of parts) {
    if (typeof part === 'string') items.push({ image: parsed(() => fromBase64('file', part, limits)) });
    else items.push({ filename: part.name, image: await fileItem(part, limits) });
  }
  return items;
}

export function batchRoutes({ services, config, logger }: RouteDeps) {
  const batch = (c: Context<AppEnv>) =>
    batchServices(services, {
      // Within the key's share of the inference pool, so a batch never answers its own items 429.
      concurrency: Math.min(config.inferenceWorkers, config.inferencePerKey),
      onUnexpected: (err, index) =>
        logger.error('batch item failed', {
          requestId: c.get('requestId'),
          path: c.req.path,
          index,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        }),
    });

  const app = contractApp<AppEnv>();
  app.openapi({ ...enrolBatch, middleware: [apiKey(services, 'recognition')] }, async (c) => {
    const { det_prob_threshold: detProbThreshold, subject } = c.req.valid('query');
    const items = await readEnrolItems(c, config);
    if (items.length === 0) throw new MissingPart('file');
    return c.json(await batch(c).enrolBatch(c.var.service, items, { subject, detProbThreshold }), 200);
  });
  openapiJson(app, { ...verifyBatch, middleware: [apiKey(services, 'verification')] }, async (c) => {
    const { det_prob_threshold: detProbThreshold } = c.req.valid('query');
    const items = c.req.valid('json').pairs.map((raw: unknown) => {
      const pair = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      return {
        source: parsed(() => fromBase64('source_image', pair.source_image, config)),
        target: parsed(() => fromBase64('target_image', pair.target_image, config)),
      };
    });
    return c.json(await batch(c).verifyBatch(c.var.service, items, { detProbThreshold }), 200);
  });
  return app;
}
