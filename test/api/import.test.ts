// `visor import` (issue 13.5), Visor to Visor: two real servers on loopback ports, each on its own PGlite with
// the real engine; the command reads the source only through the public API (GET /subjects, GET /faces pages,
// GET /faces/{id}/img, as documented in CompreFace's REST API: java/api/.../controller/api/v1/
// FaceCollectionController.java in CompreFace v1.2.0) and enrols through the target's POST /faces.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FaceEngine } from '../../shared/engine/types.js';
import { createApp } from '../../server/src/app.js';
import { importCommand } from '../../server/src/cli/import-command.js';
import { loadConfig, type Config } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/open.js';
import { createLogger } from '../../server/src/http/logger.js';
import { testDecode, testEngine } from '../storage/test-engine.js';
import { createFaceServices } from '../../server/src/services/face-services.js';
import { sample } from './harness.js';
import { seedPglite } from '../storage/backends.js';

interface Server {
  url: string;
  key: string;
  dataDir: string;
  /** GET on the server's recognition API with its key. */
  get(path: string): Promise<Response>;
  post(path: string, file: Uint8Array): Promise<Response>;
  close(): Promise<void>;
}

async function startServer(engine: FaceEngine, env: Record<string, string>, overrides: Partial<Config> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'visor-import-'));
  const config = { ...loadConfig({ VISOR_DATA_DIR: dataDir, LOG_LEVEL: 'error', ...env }), ...overrides };
  if (!config.databaseUrl) await seedPglite(dataDir);
  const db = await openDatabase(config);
  const services = await createFaceServices({ config, db, engine, decode: testDecode });
  const key = (await services.createService({ type: 'recognition', name: 'import-test' })).apiKey;
  const app = createApp({ config, services, logger: createLogger('error', () => {}) });
  let server!: ServerType;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    );
  });
  const url = `http://127.0.0.1:${port}`;
  const api = `${url}/api/v1/recognition`;
  return {
    url,
    key,
    dataDir,
    get: (path) => fetch(`${api}${path}`, { headers: { 'x-api-key': key } }),
    post(path, file) {
      const form = new FormData();
      form.append('file', new Blob([file as Uint8Array<ArrayBuffer>]), 'photo.jpg');
      return fetch(`${api}${path}`, { method: 'POST', headers: { 'x-api-key': key }, body: form });
    },
    async close() {
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await services.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  } satisfies Server;
}

/** Runs `visor import` in this process; the exit code and the summary line. */
async function runImport(args: string[]) {
  const out: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await importCommand.run(args);
    const lines = out.join('').trim().split('\n').filter(Boolean);
    return { code, summary: lines.length ? (JSON.parse(lines[0]) as Record<string, unknown>) : undefined };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

const json = async <T>(r: Promise<Response>) => (await r).json() as Promise<T>;
type Faces = { faces: { image_id: string; subject: string }[]; total_elements: number };

describe('visor import (Visor to Visor)', () => {
  let engine: FaceEngine;
  let source: Server;
  let target: Server;
  let stateDir: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    engine = await testEngine();
    // Source images on disk, so one can be swapped for a photo without a face (as a CompreFace collection may
    // hold images its detector accepted and ours does not find a face in).
    source = await startServer(engine, { SAVE_IMAGES_TO_DB: 'false' });
    // The target refuses files over 1 MB: 001_A.jpg (2.4 MB) fails with 413, for the summary's reasons.
    target = await startServer(engine, {}, { maxFileSize: 1_000_000 });
    stateDir = await mkdtemp(join(tmpdir(), 'visor-import-state-'));
    const enrol = async (subject: string, file: string) => {
      const r = await source.post(`/faces?subject=${encodeURIComponent(subject)}`, sample(file));
      expect(r.status).toBe(201);
      ids[file] = ((await r.json()) as { image_id: string }).image_id;
    };
    await enrol('alice', '001_A.jpg');
    await enrol('alice', '002_A.jpg');
    await enrol('bob', '007_B.jpg');
    await enrol('bob', '008_B.jpg');
    await enrol('carol', '009_C.jpg');
    const r = await fetch(`${source.url}/api/v1/recognition/subjects`, {
      method: 'POST',
      headers: { 'x-api-key': source.key, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'dave' }),
    });
    expect(r.status).toBe(201);
    // carol's stored image becomes a photo with no face in it.
    const files = await readdir(join(source.dataDir, 'images'), { recursive: true });
    const carol = files.find((f) => f.includes(ids['009_C.jpg']));
    expect(carol).toBeDefined();
    await writeFile(join(source.dataDir, 'images', carol!), sample('017_0.jpg'));
    const swapped = new Uint8Array(await (await source.get(`/faces/${ids['009_C.jpg']}/img`)).arrayBuffer());
    expect(Buffer.from(swapped).equals(Buffer.from(sample('017_0.jpg')))).toBe(true);
  });

  afterAll(async () => {
    await source?.close();
    await target?.close();
    await rm(stateDir, { recursive: true, force: true });
    await engine?.dispose();
  });

  it('copies every subject and example, reports no-face and failed images, and resumes without duplicates', async () => {
    const state = join(stateDir, 'state.jsonl');
    const args = [
      '--from',
      source.url,
      '--api-key',
      source.key,
      '--to',
      target.url,
      '--to-service',
      target.key,
    ];
    const first = await runImport([...args, '--state', state, '--jobs', '2', '--no-progress']);
    expect(first.code).toBe(1); // one failure
    expect(first.summary).toMatchObject({
      imported: 3,
      skipped_no_face: 1,
      failed: 1,
      already_done: 0,
      examples: 5,
      subjects: 4,
      subjects_created: 4,
      failures: [
        { image_id: ids['001_A.jpg'], subject: 'alice', reason: expect.stringMatching(/^enrol: HTTP 413/) },
      ],
    });

    const subjects = await json<{ subjects: string[] }>(target.get('/subjects'));
    expect(subjects.subjects.sort()).toEqual(['alice', 'bob', 'carol', 'dave']);
    const faces = await json<Faces>(target.get('/faces?size=100'));
    expect(faces.faces.map((f) => f.subject).sort()).toEqual(['alice', 'bob', 'bob']);
    // The copies are the source's bytes, and the target recognises bob from another photo of him.
    const bobCopy = faces.faces.find((f) => f.subject === 'bob')!;
    const copied = new Uint8Array(await (await target.get(`/faces/${bobCopy.image_id}/img`)).arrayBuffer());
    expect(
      [sample('007_B.jpg'), sample('008_B.jpg')].some((b) => Buffer.from(b).equals(Buffer.from(copied))),
    ).toBe(true);

    // Second run: nothing settled is redone; the failure is tried again (and fails again).
    const second = await runImport([...args, '--state', state, '--no-progress']);
    expect(second.summary).toMatchObject({ imported: 0, skipped_no_face: 0, failed: 1, already_done: 4 });
    expect((await json<Faces>(target.get('/faces?size=100'))).total_elements).toBe(3);
  });

  it('explains bad arguments and an unreachable or refusing source', async () => {
    expect((await runImport(['--from', source.url])).code).toBe(2);
    expect(
      (await runImport(['--from', 'ftp://x', '--api-key', 'k', '--to-service', 'k2', '--to', target.url]))
        .code,
    ).toBe(2);
    const refused = await runImport([
      '--from',
      source.url,
      '--api-key',
      '00000000-0000-4000-8000-000000000000',
      '--to',
      target.url,
      '--to-service',
      target.key,
      '--state',
      join(stateDir, 'refused.jsonl'),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.summary).toBeUndefined();
  });
});
