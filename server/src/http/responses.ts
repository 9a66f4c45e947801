// Response shapes shared by several routes: stored image bytes, CompreFace's page envelope.
import type { Context } from 'hono';
import type { FaceExample, Page, StoredImage } from '../services/types.js';

/** Image ids are never reused, so a stored image may be cached for a year; a missing one is an empty 200. */
export function imageResponse(c: Context, image: StoredImage | undefined): Response {
  c.header('X-Content-Type-Options', 'nosniff');
  if (!image) {
    c.header('Cache-Control', 'no-store');
    return c.body(null, 200);
  }
  c.header('Content-Type', image.contentType);
  c.header('Cache-Control', 'private, max-age=31536000, immutable');
  return c.body(image.bytes as Uint8Array<ArrayBuffer>, 200);
}

/** CompreFace's paging envelope for face examples. */
export function facesPage(p: Page<FaceExample>) {
  return {
    faces: p.items,
    page_number: p.page,
    page_size: p.size,
    total_pages: p.totalPages,
    total_elements: p.total,
  };
}
