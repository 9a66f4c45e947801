// The OpenAPI 3.1 document served at GET /api/openapi.json: the face-service API (/api/v1, API key) and the admin
// API (/admin, session cookie). Every route is a contract (http/contract.ts) and documents itself; this file
// adds what the whole document shares (info, tags, the error body, the shared refusals, the API key scheme).
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { ErrorBody } from '../../../shared/api/face-service.js';
import { adminTags } from '../contracts/admin/common.js';
import { errorComponents } from '../contracts/common.js';

const info = {
  title: 'Visor API',
  version: '1.0.0',
  description:
    'CompreFace-compatible face recognition, detection and verification under /api/v1 (x-api-key header), and the administration API under /admin (session cookie). Every image input is a multipart part or, with Content-Type application/json, the same field holding Base64. Errors are {"message", "code"} with CompreFace\'s codes.',
  license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
};

const tags = [
  { name: 'Subjects' },
  { name: 'Face collection' },
  { name: 'Recognition' },
  { name: 'Detection' },
  { name: 'Verification' },
  { name: 'Embeddings' },
  { name: 'Server' },
  { name: 'Sync', description: 'Browser and kiosk devices: pull the collection, push examples and events.' },
  ...adminTags,
];

/** Registers what every contract refers to by name: the error body, the shared refusals, the API key scheme. */
export function registerDocumentParts<E extends Env>(app: OpenAPIHono<E>): void {
  const registry = app.openAPIRegistry;
  registry.register('Error', ErrorBody);
  for (const [name, response] of Object.entries(errorComponents)) {
    registry.registerComponent('responses', name, response);
  }
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: 'The API key (a UUID) of a face service of the type the path names.',
  });
}

/** The whole document for `app`: its contracts' operations; `servers` is the caller's. */
export function openapiDocument<E extends Env>(app: OpenAPIHono<E>) {
  const generated = app.getOpenAPI31Document({ openapi: '3.1.0', info, tags, security: [{ apiKey: [] }] });
  const { webhooks: _none, ...doc } = generated;
  return doc;
}
