// Face-collection calls of a recognition service (CompreFace's /recognition/subjects and /recognition/faces).
import { apiUrl, call, fetchBlob, upload, type Query } from './client.js';
import type { ApiFace, Connection, FaceExample, FacesPage } from './types.js';

const enc = encodeURIComponent;

export async function listSubjects(conn: Connection): Promise<string[]> {
  return (await call<{ subjects: string[] }>(conn, 'GET', 'recognition/subjects')).subjects;
}

export function addSubject(conn: Connection, subject: string): Promise<{ subject: string }> {
  return call(conn, 'POST', 'recognition/subjects', { json: { subject } });
}

/** Renames `from`; when `to` already exists the two are merged. */
export function renameSubject(conn: Connection, from: string, to: string): Promise<{ updated: boolean }> {
  return call(conn, 'PUT', `recognition/subjects/${enc(from)}`, { json: { subject: to } });
}

export function deleteSubject(conn: Connection, subject: string): Promise<{ subject: string }> {
  return call(conn, 'DELETE', `recognition/subjects/${enc(subject)}`);
}

export function listExamples(
  conn: Connection,
  q: { page: number; size: number; subject?: string },
): Promise<FacesPage> {
  return call(conn, 'GET', 'recognition/faces', { query: q });
}

/** Uploads one example photo of `subject` (created on the fly), with progress. */
export function addExample(
  conn: Connection,
  subject: string,
  file: File,
  opts: { detProbThreshold?: number; signal?: AbortSignal; onProgress?: (f: number) => void },
): Promise<FaceExample> {
  const form = new FormData();
  form.append('file', file, file.name);
  const query: Query = { subject, det_prob_threshold: opts.detProbThreshold };
  return upload(conn, 'recognition/faces', form, { query, signal: opts.signal, onProgress: opts.onProgress });
}

/** Deletes the given examples; answers those actually deleted (unknown ids are ignored). */
export function deleteExamples(conn: Connection, imageIds: string[]): Promise<FaceExample[]> {
  return call(conn, 'POST', 'recognition/faces/delete', { json: imageIds });
}

export function deleteExamplesOf(conn: Connection, subject: string): Promise<{ deleted: number }> {
  return call(conn, 'DELETE', 'recognition/faces', { query: { subject } });
}

/** An example's image under /api/v1/static, the key in the path. */
const staticImage = (conn: Connection, imageId: string) =>
  `static/${enc(conn.apiKey)}/images/${enc(imageId)}`;

/**
 * The stored photo of an example; needs no key header, so an <img> can load it. With `size`, a JPEG thumbnail of it
 * whose longer side is at most `size` pixels (16 to 1024; a Visor extension, made by the server).
 */
export function exampleImageUrl(conn: Connection, imageId: string, size?: number): string {
  return apiUrl(staticImage(conn, imageId), { size });
}

/**
 * exampleImageUrl's thumbnail of an example's photo, longer side at most `size` pixels (16 to 1024): an empty blob
 * when the server keeps no photo of the example (or knows no such example).
 */
export function downloadThumbnail(
  conn: Connection,
  imageId: string,
  size: number,
  signal?: AbortSignal,
): Promise<Blob> {
  return fetchBlob(conn, staticImage(conn, imageId), { query: { size }, signal });
}

/** The stored photo of an example, through CompreFace's GET /recognition/faces/{image_id}/img. */
export function downloadExample(conn: Connection, imageId: string, signal?: AbortSignal): Promise<Blob> {
  return fetchBlob(conn, `recognition/faces/${enc(imageId)}/img`, { signal });
}

/** The faces of `image` compared with example `imageId`, most similar first (CompreFace's faces/{id}/verify). */
export async function verifyAgainstExample(
  conn: Connection,
  imageId: string,
  image: Blob,
  signal?: AbortSignal,
): Promise<(ApiFace & { similarity: number })[]> {
  const form = new FormData();
  // the server takes a file by its extension too (as CompreFace): name it after the downloaded type
  const ext = /^image\/(png|bmp|gif|tiff|webp)$/.exec(image.type)?.[1] ?? 'jpg';
  form.append('file', image, `example.${ext}`);
  const r = await call<{ result: (ApiFace & { similarity: number })[] }>(
    conn,
    'POST',
    `recognition/faces/${enc(imageId)}/verify`,
    { form, signal },
  );
  return r.result;
}
