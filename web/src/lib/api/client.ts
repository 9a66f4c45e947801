// The one place the web app talks HTTP to the face-service API: JSON calls, and multipart uploads with progress.
import { ApiError } from './errors.js';
import type { Connection } from './types.js';

export type Query = Record<string, string | number | boolean | undefined>;

/** `/api/v1/<path>?<query>`, skipping undefined and empty values; commas stay readable (`face_plugins=a,b`). */
export function apiUrl(path: string, query: Query = {}): string {
  const qs = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v)).replace(/%2C/g, ',')}`)
    .join('&');
  return `/api/v1/${path}${qs ? `?${qs}` : ''}`;
}

export interface CallOptions {
  query?: Query;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as multipart/form-data. */
  form?: FormData;
  signal?: AbortSignal;
}

async function parse(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Calls the API with the connection's key; throws ApiError (status 0 when the server is unreachable). */
export async function call<T>(
  conn: Connection,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { 'x-api-key': conn.apiKey };
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form) body = opts.form;
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), { method, headers, body, signal: opts.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, undefined, 'network error');
  }
  const data = await parse(res);
  if (!res.ok) throw ApiError.fromBody(res.status, data);
  return data as T;
}

/** GETs a file (an image, a CSV export) with the connection's key; throws ApiError as `call` does. */
export async function fetchBlob(
  conn: Connection,
  path: string,
  opts: { query?: Query; signal?: AbortSignal } = {},
): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), {
      headers: { 'x-api-key': conn.apiKey },
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, undefined, 'network error');
  }
  if (!res.ok) throw ApiError.fromBody(res.status, await parse(res));
  return res.blob();
}

/**
 * POSTs a multipart form with upload progress (fetch cannot report it), reporting 0..1 to `onProgress`.
 * Aborting `signal` rejects with an AbortError DOMException.
 */
export function upload<T>(
  conn: Connection,
  path: string,
  form: FormData,
  opts: { query?: Query; signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(path, opts.query));
    xhr.setRequestHeader('x-api-key', conn.apiKey);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.(e.loaded / e.total);
    };
    // the last byte is sent: the server works on it now
    xhr.upload.onload = () => opts.onProgress?.(1);
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(ApiError.fromBody(xhr.status, data));
    };
    xhr.onerror = () => reject(new ApiError(0, undefined, 'network error'));
    xhr.onabort = () => reject(new DOMException('Upload stopped', 'AbortError'));
    if (opts.signal?.aborted) return reject(new DOMException('Upload stopped', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
