// Disk faults with images stored as files (issue 19.5): a full disk or an unwritable images folder answers 507
// code 48 with a clear message (not a generic 500), flips /api/ready to 503 until a write succeeds again, and
// leaves no `.part` file; orphan files are swept on a schedule. Real filesystem conditions, no mocks: a file
// where the images folder should be (any user), /dev/full behind a `.part` path (ENOSPC, any user), and, where
// the test may mount (root in a container or CI), a 1 MiB tmpfs filled up and then remounted read-only.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmdirSync } from 'node:fs';
import { lstat, mkdir, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StorageUnavailable } from '../../shared/errors.js';
import type { FaceEngine } from '../../shared/engine/types.js';
import { createApp } from '../../server/src/app.js';
import { loadConfig, type Config } from '../../server/src/config.js';
import { openDatabase, type Db } from '../../server/src/db/open.js';
import { createLogger } from '../../server/src/http/logger.js';
import { testDecode, testEngine } from '../storage/test-engine.js';
import { createImageStore } from '../../server/src/repositories/images.js';
import { createFaceServices, type FaceServicesRuntime } from '../../server/src/services/face-services.js';
import { format, read } from '../api/harness.js';

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

/** Every file under `dir` (recursive), relative names. */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => !e.isDirectory()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe('disk faults with images as files [pglite]', () => {
  const quiet = createLogger('error', () => {});
  let dataDir = '';
  let images = '';
  let config: Config;
  let db: Db;
  let engine: FaceEngine;
  let services: FaceServicesRuntime;
  let app: ReturnType<typeof createApp>;
  let key = '';
  const photo = format('einstein.jpeg');

  const enrol = (subject: string) => {
    const form = new FormData();
    form.append('file', new File([photo as Uint8Array<ArrayBuffer>], 'e.jpeg'));
    return read<{ code?: number; message?: string }>(
      app.request(`/api/v1/recognition/faces?subject=${subject}`, {
        method: 'POST',
        headers: { 'x-api-key': key },
        body: form,
      }),
    );
  };
  const ready = async () => (await app.request('/api/ready')).status;
  const examples = async () =>
    (await db.query<{ n: number }>('select count(*)::int as n from examples'))[0].n;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'visor-disk-'));
    images = join(dataDir, 'images');
    config = loadConfig({ VISOR_DATA_DIR: dataDir, LOG_LEVEL: 'error', SAVE_IMAGES_TO_DB: 'false' });
    db = await openDatabase({ databaseUrl: undefined, dataDir });
    engine = await testEngine();
    services = await createFaceServices({ config, db, engine, decode: testDecode });
    key = (await services.createService({ type: 'recognition', name: 'disk' })).apiKey;
    app = createApp({ config, services, logger: quiet, ready: () => services.storageReady() });
  });
  afterAll(async () => {
    if (MOUNT && existsSync(images)) execFileSync('umount', [images], { stdio: 'ignore' });
    await services?.close();
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 507 when the images folder is a file, flips readiness, leaves nothing, recovers', async () => {
    expect((await enrol('First')).status).toBe(201);
    expect(await ready()).toBe(200);
    const before = await examples();
    await rm(images, { recursive: true });
    await writeFile(images, 'not a folder');

    const refused = await enrol('Second');
    expect(refused.status, JSON.stringify(refused.body)).toBe(507);
    expect(refused.body).toMatchObject({
      code: 48,
      message: expect.stringMatching(/images folder cannot be written/),
    });
    expect(await examples()).toBe(before);
    expect(await ready()).toBe(503);
    expect(await ready()).toBe(503);

    await rm(images);
    expect(await ready()).toBe(200);
    expect((await enrol('Second')).status).toBe(201);
    expect((await files(images)).filter((f) => f.endsWith('.part') || f.endsWith('.probe'))).toEqual([]);
  });

  it('turns ENOSPC into StorageUnavailable and removes the .part (/dev/full behind it)', async () => {
    const store = createImageStore({ dataDir, inDb: false });
    const service = randomUUID();
    const example = randomUUID();
    await mkdir(join(images, service), { recursive: true });
    await symlink('/dev/full', join(images, service, `${example}.part`));
    const failed = store.stage(service, example, photo);
    await expect(failed).rejects.toBeInstanceOf(StorageUnavailable);
    await expect(failed).rejects.toThrow(/disk holding the images folder is full \(ENOSPC\)/);
    await expect(lstat(join(images, service, `${example}.part`))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(existsSync(join(images, service, example))).toBe(false);
    expect((await stat('/dev/full')).isCharacterDevice()).toBe(true);
    // The next write goes through and the folder counts as writable again.
    await store.stage(service, example, photo);
    expect(await store.writable()).toBe(true);
  });

  it('sweeps orphan files on a schedule, not only at start', async () => {
    const svc = join(images, randomUUID());
    await mkdir(svc, { recursive: true });
    const orphan = join(svc, randomUUID());
    await writeFile(orphan, 'left by a crash');
    await writeFile(`${orphan}.part`, 'half written');
    expect((await enrol('Kept')).status).toBe(201);
    const rows = await db.query<{ p: string }>(
      'select image_path as p from examples where image_path is not null',
    );
    const kept = rows.map((r) => join(images, r.p)).filter((f) => existsSync(f));
    expect(kept.length).toBeGreaterThan(0);
    const scheduled = await createFaceServices({
      config: { ...config, imageSweepInterval: 1, imageOrphanAge: 0 },
      db,
      engine,
      decode: testDecode,
    });
    try {
      // Created after the start-up sweep ran: only a scheduled sweep can remove them.
      const late = join(svc, randomUUID());
      await writeFile(late, 'left by a crash');
      await writeFile(`${late}.part`, 'half written');
      await vi.waitFor(async () => expect(await files(svc)).toEqual([]), { timeout: 30_000, interval: 200 });
      // Examples with rows keep their files.
      expect(kept.filter((f) => !existsSync(f))).toEqual([]);
    } finally {
      await scheduled.close();
    }
  });

  it.skipIf(!MOUNT)(
    'answers 507 on a full tmpfs and on a read-only one, then recovers (needs mount)',
    async () => {
      await rm(images, { recursive: true, force: true });
      await mkdir(images);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', images]);
      expect((await enrol('Fits')).status).toBe(201);
      // Fill the filesystem to the last block.
      const filler = join(images, 'filler');
      await writeFile(filler, new Uint8Array(1 << 20)).catch((e: NodeJS.ErrnoException) => {
        expect(e.code).toBe('ENOSPC');
      });
      const before = await examples();
      const full = await enrol('Full');
      expect(full.status, JSON.stringify(full.body)).toBe(507);
      expect(full.body).toMatchObject({ code: 48, message: expect.stringMatching(/full \(ENOSPC\)/) });
      expect(await examples()).toBe(before);
      expect(await ready()).toBe(503);
      expect((await files(images)).filter((f) => f.endsWith('.part'))).toEqual([]);

      await rm(filler);
      expect(await ready()).toBe(200);
      expect((await enrol('Full')).status).toBe(201);

      execFileSync('mount', ['-o', 'remount,ro', images]);
      const readOnly = await enrol('ReadOnly');
      expect(readOnly.status).toBe(507);
      expect(readOnly.body).toMatchObject({ code: 48, message: expect.stringMatching(/EROFS/) });
      expect(await ready()).toBe(503);
      execFileSync('mount', ['-o', 'remount,rw', images]);
      expect(await ready()).toBe(200);
      expect((await enrol('ReadOnly')).status).toBe(201);
    },
  );
});
