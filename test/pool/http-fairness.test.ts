// Work bounded by cost over real HTTP (issue 19): a tall PNG is refused from its header (400, code 21); a key
// beyond its share gets 429 + Retry-After while another key is served; a client that disconnects while its image
// waits frees its place; a job past its time limit answers 503 code 46. One worker whose test build hangs any job
// asking for `limit=14`.
import { serve, type ServerType } from '@hono/node-server';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { openDatabase, type Db } from '../../server/src/db/open.js';
import { createLogger } from '../../server/src/http/logger.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { createPooledEngine, type PooledEngine } from '../../server/src/inference/pool/index.js';
import { createFaceServices, type FaceServicesRuntime } from '../../server/src/services/face-services.js';
import { syntheticPng } from '../image/png.js';
import { seedPglite } from '../storage/backends.js';

let dataDir: string;
let engine: PooledEngine;
let db: Db;
let services: FaceServicesRuntime;
let server: ServerType;
let base: string;
let keyA: string;
let keyB: string;
let photo: Blob;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'visor-fairness-'));
  const config = loadConfig({ VISOR_DATA_DIR: dataDir, LOG_LEVEL: 'error' });
  engine = await createPooledEngine({
    workers: 1,
    queueLimit: 4,
    perOwnerLimit: 1,
    jobTimeoutMs: 4000,
    workerEntry: new URL('./crashing-worker.ts', import.meta.url),
  });
  await seedPglite(dataDir);
  db = await openDatabase(config);
  services = await createFaceServices({ config, db, engine, decode: decodeImage });
  keyA = (await services.createService({ type: 'recognition', name: 'door' })).apiKey;
  keyB = (await services.createService({ type: 'recognition', name: 'gate' })).apiKey;
  const app = createApp({ config, services, logger: createLogger('error', () => {}) });
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    );
  });
  base = `http://127.0.0.1:${port}`;
  const bytes = await readFile(join(import.meta.dirname, '../fixtures/compreface-samples/009_C.jpg'));
  photo = new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' });
});
afterAll(async () => {
  if (server && 'closeAllConnections' in server) server.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await services?.close();
  await db?.close();
  await engine?.dispose();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function recognize(key: string, image: Blob, name: string, query = '', signal?: AbortSignal) {
  const form = new FormData();
  form.append('file', image, name);
  return fetch(`${base}/api/v1/recognition/recognize${query}`, {
    method: 'POST',
    headers: { 'x-api-key': key },
    body: form,
    signal,
  });
}

/** A PNG whose header claims 1 x `height` pixels (the body is a token: the header is refused first). */
const tallPng = (height: number) => new Blob([syntheticPng(1, height)], { type: 'image/png' });

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

describe('cost limits over HTTP', () => {
  it('refuses a 1x39,999,999 PNG from its header with 400 code 21, before it takes a queue place', async () => {
    const jobs = () => engine.stats().completed + engine.stats().failed;
    const before = jobs();
    const r = await recognize(keyA, tallPng(39_999_999), 'tall.png');
    expect(jobs()).toBe(before);
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({
      code: 21,
      message: 'image is 1x39999999 pixels, a side longer than the 16384-pixel limit',
    });
  });

  it('answers 429 + Retry-After beyond a key share, frees the place of a client that left, times out a hung job', async () => {
    const hung = recognize(keyA, photo, 'a.jpg', '?limit=14');
    await until(() => engine.stats().busy === 1);
    // key A holds its one place: refused at once; key B still queues
    const refused = await recognize(keyA, photo, 'a.jpg');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ code: 45 });
    const leaving = new AbortController();
    const left = recognize(keyB, photo, 'b.jpg', '', leaving.signal).catch((e: unknown) => e);
    await until(() => engine.stats().queued === 1);
    leaving.abort();
    expect(await left).toBeInstanceOf(Error);
    await until(() => engine.stats().cancelled === 1);
    expect(engine.stats().queued).toBe(0);
    // the hung job ends at its limit; the worker is replaced and serves key B's next image
    const late = await hung;
    expect(late.status).toBe(503);
    expect(await late.json()).toMatchObject({ code: 46 });
    const ok = await recognize(keyB, photo, 'b.jpg');
    expect(ok.status).toBe(200);
    expect(engine.stats()).toMatchObject({ timedOut: 1, cancelled: 1, throttled: 1 });
  });
});
