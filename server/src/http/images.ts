// Image inputs: a multipart part (`file`, or `source_image`/`target_image`) or, with Content-Type
// application/json, the same field names holding Base64 (a data-URL prefix is accepted too).
import type { Context } from 'hono';
import {
  EmptyField,
  IncorrectArgument,
  MissingPart,
  PayloadTooLarge,
  UnsupportedImage,
} from '../../../shared/errors.js';
import type { ImageInput } from '../services/types.js';
import { readJsonObject } from './json.js';

/** File-name extensions CompreFace accepts (the bytes are sniffed again before decoding). */
export const ALLOWED_EXTENSIONS = ['jpeg', 'jpg', 'png', 'bmp', 'gif', 'tif', 'tiff', 'ico', 'webp'] as const;

export interface ImageLimits {
  /** Largest accepted file in bytes. */
  maxFileSize: number;
}

/** "5 MB" style size for messages. */
export function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  const kb = bytes / 1024;
  return kb >= 1 ? `${Number.isInteger(kb) ? kb : kb.toFixed(1)} KB` : `${bytes} bytes`;
}

function checkSize(bytes: number, label: string, limits: ImageLimits): void {
  if (bytes > limits.maxFileSize) {
    throw new PayloadTooLarge(
      `${label} is larger than the ${formatSize(limits.maxFileSize)} limit for a file`,
    );
  }
}

function checkExtension(filename: string): void {
  const dot = filename.lastIndexOf('.');
  const ext = dot < 0 ? '' : filename.slice(dot + 1).toLowerCase();
  if (!(ALLOWED_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new UnsupportedImage(`File [${filename}] has an unavailable extension`);
  }
}

const DATA_URL = /^data:[^,]*?;base64,/i;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Decodes standard or URL-safe Base64, with or without a `data:...;base64,` prefix; throws 21 otherwise. */
export function decodeBase64(value: string): Uint8Array {
  const s = value.replace(DATA_URL, '').replace(/\s+/g, '');
  if (!BASE64.test(s) || s.replace(/=+$/, '').length % 4 === 1) {
    throw new UnsupportedImage('Provided value is not Base64');
  }
  const buf = Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * One Base64 image field (plain, URL-safe or data-URL): missing or blank → 5 (CompreFace's Base64File has it
 * `@NotNull`: "Field file cannot be empty"), not Base64 → 21, too big → 38.
 */
export function fromBase64(name: string, value: unknown, limits: ImageLimits): ImageInput {
  if (value === undefined || value === null) throw new EmptyField(name);
  if (typeof value !== 'string') throw new UnsupportedImage('Provided value is not Base64');
  if (value.trim() === '') throw new EmptyField(name);
  const bytes = decodeBase64(value);
  checkSize(bytes.byteLength, `Field ${name}`, limits);
  if (bytes.byteLength === 0) throw new EmptyField(name);
  return { bytes };
}

/** One multipart file: allowed extension (21), within the per-file limit (38), not empty (21). */
export async function fromFile(file: File, limits: ImageLimits): Promise<ImageInput> {
  checkExtension(file.name);
  checkSize(file.size, `File [${file.name}]`, limits);
  if (file.size === 0) throw new UnsupportedImage(`File [${file.name}] is empty`);
  return { bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name };
}

function isJson(c: Context): boolean {
  return /^application\/([\w.+-]*\+)?json\b/i.test(c.req.header('content-type') ?? '');
}

function isMultipart(c: Context): boolean {
  return /^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '');
}

/** Reads the named images from the request, checking extension, Base64 and the per-file size limit. */
export async function readImages<const K extends string>(
  c: Context,
  names: readonly K[],
  limits: ImageLimits,
): Promise<Record<K, ImageInput>> {
  const out = {} as Record<K, ImageInput>;
  if (isJson(c)) {
    const body = await readJsonObject(c);
    for (const name of names) out[name] = fromBase64(name, body[name], limits);
    return out;
  }
  if (!isMultipart(c)) throw new MissingPart(names[0]);
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw new IncorrectArgument('Request body is not valid multipart/form-data');
  }
  for (const name of names) {
    const value = form.get(name);
    if (value === null) throw new MissingPart(name);
    out[name] = typeof value === 'string' ? fromBase64(name, value, limits) : await fromFile(value, limits);
  }
  return out;
}

/** Reads the single `file` image every endpoint but two-image verification takes. */
export async function readImage(c: Context, limits: ImageLimits): Promise<ImageInput> {
  return (await readImages(c, ['file'], limits)).file;
}
