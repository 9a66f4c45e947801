// A full disk under the database (issue 19.5), images stored in the database: enrolment answers 507 code 48 naming
// the database (not a generic 500), readiness answers 503 until space is freed, and nothing is half written: every
// acknowledged example is there with its image (after a restart too), no refused one is. Real conditions (root
// only, as CI runs): PGlite's data folder on a small tmpfs filled up, and a PostgreSQL database whose tablespace
// is a small tmpfs filled up (the server's WAL stays on its own disk: SQLSTATE 53100 on extending a table file).
// PGlite cannot meet a truly full disk: a failed WAL write is a PANIC after which it never answers again (found by
// filling a 60 MB tmpfs), so it refuses writes while under PGLITE_DISK_RESERVE and the test fills up to that line.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaceEngine } from '../../shared/engine/types.js';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { freeBytes, PGLITE_DISK_RESERVE } from '../../server/src/db/faults.js';
import { openDatabase, type Db } from '../../server/src/db/open.js';
import { openPostgres } from '../../server/src/db/postgres.js';
import { createLogger } from '../../server/src/http/logger.js';
import { testDecode, testEngine } from '../storage/test-engine.js';
import { createFaceServices, type FaceServicesRuntime } from '../../server/src/services/face-services.js';
import { format, PG_ADMIN_URL, read } from '../api/harness.js';
import { seedPglite } from '../storage/backends.js';

/** Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN): decided once, before the tests. */
function canMount(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'visor-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(dir);
  }
}
const MOUNT = canMount();
const quiet = createLogger('error', () => {});
const photo = format('einstein.bmp'); // 263 KB: a few fill the last megabytes

/** Fills the filesystem of `dir` with a file until `leave` bytes are free; returns its path. */
async function fill(dir: string, leave: number): Promise<string> {
  const filler = join(dir, 'filler');
  await writeFile(filler, new Uint8Array(Math.max(0, (await freeBytes(dir)) - leave)));
  return filler;
}

interface Stack {
  db: Db;
  services: FaceServicesRuntime;
  app: ReturnType<typeof createApp>;
  key: string;
}

async function stack(db: Db, engine: FaceEngine, dataDir: string, key?: string): Promise<Stack> {
  const config = loadConfig({ VISOR_DATA_DIR: dataDir, LOG_LEVEL: 'error' });
  const services = await createFaceServices({ config, db, engine, decode: testDecode });
  key ??= (await services.createService({ type: 'recognition', name: 'full' })).apiKey;
  // As main.ts: ready while the database answers and takes writes and the images folder is writable.
  const ready = async () =>
    (await db.query('select 1'), true) && (await db.writable()) && (await services.storageReady());
  const app = createApp({ config, services, logger: quiet, ready });
  return { db, services, app, key };
}

const enrol = (s: Stack, subject: string) => {
  const form = new FormData();
  form.append('file', new File([photo as Uint8Array<ArrayBuffer>], 'e.bmp'));
  return read<{ code?: number; message?: string }>(
    s.app.request(`/api/v1/recognition/faces?subject=${subject}`, {
      method: 'POST',
      headers: { 'x-api-key': s.key },
      body: form,
    }),
  );
};
const ready = async (s: Stack) => (await s.app.request('/api/ready')).status;
/** Examples, and those missing their stored image or their embedding (a half-written example). */
const stored = async (db: Db) =>
  (
    await db.query<{ n: number; bare: number }>(
      `select count(*)::int as n,
              count(*) filter (where not exists (select 1 from example_images i where i.example_id = e.id)
                               or not exists (select 1 from embeddings m where m.example_id = e.id))::int as bare
         from examples e`,
    )
  )[0];

/** Enrols until the database refuses; returns the acknowledged count and the refusal. */
async function enrolUntilRefused(s: Stack) {
  let acknowledged = 0;
  for (let i = 0; i < 100; i++) {
    const r = await enrol(s, `Person${i}`);
    if (r.status !== 201) return { acknowledged, refused: r };
    acknowledged++;
  }
  throw new Error('the disk never filled');
}

let engine: FaceEngine;
beforeAll(async () => {
  if (MOUNT) engine = await testEngine();
});

describe.skipIf(!MOUNT)('a full disk under PGlite (needs mount)', () => {
  let dataDir = '';
  let s: Stack;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'visor-dbfull-'));
    execFileSync('mount', [
      '-t',
      'tmpfs',
      '-o',
      `size=${PGLITE_DISK_RESERVE + 96 * 2 ** 20}`,
      'tmpfs',
      dataDir,
    ]);
    await seedPglite(dataDir);
    s = await stack(await openDatabase({ databaseUrl: undefined, dataDir }), engine, dataDir);
  });
  afterAll(async () => {
    await s?.services.close();
    await s?.db.close();
    if (dataDir) {
      execFileSync('umount', [dataDir], { stdio: 'ignore' });
      rmdirSync(dataDir);
    }
  });

  it('answers 507 code 48 at its reserve, flips readiness, keeps every acknowledged example', async () => {
    expect((await enrol(s, 'First')).status).toBe(201);
    expect(await ready(s)).toBe(200);
    const filler = await fill(dataDir, PGLITE_DISK_RESERVE + 2 ** 20);
    const { acknowledged, refused } = await enrolUntilRefused(s);
    expect(refused.status, JSON.stringify(refused.body)).toBe(507);
    expect(refused.body).toMatchObject({ code: 48, message: expect.stringMatching(/embedded database/) });
    expect(await stored(s.db)).toEqual({ n: 1 + acknowledged, bare: 0 });
    expect(await ready(s)).toBe(503);

    await rm(filler);
    expect(await ready(s)).toBe(200);
    expect((await enrol(s, 'After')).status).toBe(201);
    // A restart finds exactly the acknowledged examples.
    await s.services.close();
    await s.db.close();
    s = await stack(await openDatabase({ databaseUrl: undefined, dataDir }), engine, dataDir, s.key);
    expect(await stored(s.db)).toEqual({ n: 2 + acknowledged, bare: 0 });
  });
});

describe.skipIf(!MOUNT)('a full tablespace under PostgreSQL (needs mount)', () => {
  const suffix = randomBytes(4).toString('hex');
  const name = `visor_full_${suffix}`;
  const tablespace = `visor_full_ts_${suffix}`;
  let mountDir = '';
  let admin: Db;
  let s: Stack;
  beforeAll(async () => {
    mountDir = mkdtempSync(join(tmpdir(), 'visor-tablespace-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m,mode=0755', 'tmpfs', mountDir]);
    const location = join(mountDir, 'pg');
    await mkdir(location);
    execFileSync('chown', ['postgres:postgres', location]);
    admin = openPostgres(PG_ADMIN_URL, { max: 1 });
    await admin.exec(`CREATE TABLESPACE ${tablespace} LOCATION '${location}'`);
    await admin.exec(`CREATE DATABASE ${name} TABLESPACE ${tablespace}`);
    const url = PG_ADMIN_URL.replace(/\/postgres$/, `/${name}`);
    s = await stack(await openDatabase({ databaseUrl: url, dataDir: mountDir }), engine, mountDir);
  });
  afterAll(async () => {
    await s?.services.close();
    await s?.db.close();
    await admin?.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.exec(`DROP TABLESPACE IF EXISTS ${tablespace}`);
    await admin?.close();
    if (mountDir) {
      execFileSync('umount', [mountDir], { stdio: 'ignore' });
      rmdirSync(mountDir);
    }
  });

  it('answers 507 code 48 on SQLSTATE 53100, flips readiness until space is freed, half-writes nothing', async () => {
    expect((await enrol(s, 'First')).status).toBe(201);
    expect(await ready(s)).toBe(200);
    const filler = await fill(mountDir, 600 * 1024);
    const { acknowledged, refused } = await enrolUntilRefused(s);
    expect(refused.status, JSON.stringify(refused.body)).toBe(507);
    expect(refused.body).toMatchObject({ code: 48, message: expect.stringMatching(/SQLSTATE 53100/) });
    expect(await stored(s.db)).toEqual({ n: 1 + acknowledged, bare: 0 });
    expect(await ready(s)).toBe(503);
    expect(await ready(s)).toBe(503);

    await rm(filler);
    expect(await ready(s)).toBe(200);
    expect((await enrol(s, 'After')).status).toBe(201);
    expect(await stored(s.db)).toEqual({ n: 2 + acknowledged, bare: 0 });
  });
});
