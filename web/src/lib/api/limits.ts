// The server's upload limit (GET /api/v1/config, clientMaxFileSize), asked once per page load, so that a file the
// server would refuse is refused before it is sent; 5 MB (the server's default) when the server does not say.
import type { ClientConfig as Limits } from './types.js';

const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
let asked: Promise<number> | undefined;

/** What the answer may hold: an older server or a proxy may leave fields out. */
type ClientConfig = Partial<Limits>;

export function maxFileSize(): Promise<number> {
  asked ??= fetch('/api/v1/config')
    .then((r): Promise<ClientConfig> | ClientConfig => (r.ok ? (r.json() as Promise<ClientConfig>) : {}))
    .then((c) =>
      typeof c.clientMaxFileSize === 'number' && c.clientMaxFileSize > 0
        ? c.clientMaxFileSize
        : DEFAULT_MAX_FILE_SIZE,
    )
    .catch(() => DEFAULT_MAX_FILE_SIZE);
  return asked;
}

import { sniffFormat } from '../../../../shared/image-format.js';

const IMAGE_NAME = /\.(jpe?g|png|bmp|gif|tiff?|ico|webp)$/i;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const NOT_IMAGE = 'use JPEG, PNG, BMP, GIF, TIFF, WebP or ICO.';

/**
 * Why `file` cannot be uploaded (not an image by its type or name, empty, or larger than `max` bytes), else
 * undefined. `contentRefusal` also reads its first bytes.
 */
export function refusal(file: File, max: number): string | undefined {
  if (!file.type.startsWith('image/') && !IMAGE_NAME.test(file.name))
    return `${file.name} is not an image: ${NOT_IMAGE}`;
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > max)
    return `${file.name} is ${mb(file.size)}: the server takes at most ${mb(max)} a file. Use a smaller image.`;
  return undefined;
}

/**
 * `refusal`, and then whether the file's first bytes are one of the formats the server reads (as the server
 * checks them: shared/image-format.ts), so an SVG, a HEIC photo or a renamed text file is refused before upload.
 */
export async function contentRefusal(file: File, max: number): Promise<string | undefined> {
  const why = refusal(file, max);
  if (why) return why;
  const head = new Uint8Array(await file.slice(0, 64).arrayBuffer());
  if (!sniffFormat(head)) return `${file.name} is not an image the server reads: ${NOT_IMAGE}`;
  return undefined;
}
