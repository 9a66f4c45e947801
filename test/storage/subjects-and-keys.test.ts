// Service rules that need no face engine: API keys, the bootstrap CLI, and subject naming/rename/merge/delete.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  IncorrectArgument,
  ServiceNotFound,
  SubjectExists,
  SubjectNotFound,
  ValidationError,
} from '../../shared/errors.js';
import { createCollectionStore } from '../../server/src/collections/index.js';
import { serviceCommand } from '../../server/src/cli/service-commands.js';
import { openDatabase } from '../../server/src/db/open.js';
import { createImageStore } from '../../server/src/repositories/images.js';
import { insertSubject } from '../../server/src/repositories/subjects.js';
import { SearchIndexes } from '../../server/src/search/service-indexes.js';
import { createServiceRecord, resolveApiKey } from '../../server/src/services/keys.js';
import { subjectServices } from '../../server/src/services/subjects.js';
import { createTestDatabase, describeStorage } from './backends.js';

describeStorage('service keys and subjects', (get) => {
  let indexes: SearchIndexes;
  beforeAll(async () => {
    indexes = new SearchIndexes({ db: get().db, embedder: 'model@1', dim: 4 });
    await indexes.start();
  });
  afterAll(() => indexes?.stop());
  const subjects = () =>
    subjectServices({
      db: get().db,
      collections: createCollectionStore({
        db: get().db,
        indexes,
        images: createImageStore({ dataDir: get().config.dataDir, inDb: true }),
      }),
    });

  it('resolves an API key to a service of the path type only', async () => {
    const { db } = get();
    const svc = await createServiceRecord(db, { type: 'detection', name: 'Door' }, 0.3);
    expect(svc).toMatchObject({ type: 'detection', name: 'Door', minSimilarity: 0.3 });
    expect(await resolveApiKey(db, svc.apiKey, 'detection', 0.3)).toEqual(svc);
    expect(await resolveApiKey(db, svc.apiKey.toUpperCase(), 'detection', 0.3)).toEqual(svc);
    await expect(resolveApiKey(db, svc.apiKey, 'recognition', 0)).rejects.toThrow(ServiceNotFound);
    await expect(resolveApiKey(db, svc.apiKey, 'recognition', 0)).rejects.toThrow(
      `Recognition service with API Key ${svc.apiKey} not found`,
    );
    await expect(resolveApiKey(db, crypto.randomUUID(), 'detection', 0)).rejects.toThrow(ServiceNotFound);
    await expect(resolveApiKey(db, 'not-a-uuid', 'detection', 0)).rejects.toThrow(ValidationError);
    const strict = await createServiceRecord(
      db,
      { type: 'recognition', name: 'Strict', minSimilarity: 0.7 },
      0.3,
    );
    expect(strict.minSimilarity).toBe(0.7);
    await expect(createServiceRecord(db, { type: 'recognition', name: ' ' })).rejects.toThrow(
      ValidationError,
    );
  });

  it('creates, lists, renames, merges and deletes subjects case-insensitively', async () => {
    const { db } = get();
    const svc = await createServiceRecord(db, { type: 'recognition', name: 'Home' });
    const s = subjects();
    expect(await s.createSubject(svc, 'Alice')).toEqual({ subject: 'Alice' });
    await expect(s.createSubject(svc, 'alice')).rejects.toThrow(SubjectExists);
    // Blank: 26 "Subject name is empty"; `;` `/` `\` : 36, as CompreFace.
    await expect(s.createSubject(svc, '')).rejects.toThrow('Subject name is empty');
    await expect(s.createSubject(svc, 'a/b')).rejects.toThrow(IncorrectArgument);
    await expect(s.createSubject(svc, 'x'.repeat(51))).rejects.toThrow(ValidationError);
    expect(await s.createSubject(svc, 'x'.repeat(50))).toEqual({ subject: 'x'.repeat(50) });
    await s.createSubject(svc, 'Bob');
    expect(await s.listSubjects(svc)).toEqual(['Alice', 'x'.repeat(50), 'Bob']);

    expect(await s.renameSubject(svc, 'alice', 'Alice')).toEqual({ updated: false });
    expect(await s.renameSubject(svc, 'alice', 'ALICE')).toEqual({ updated: true });
    expect(await s.renameSubject(svc, 'bob', 'alice')).toEqual({ updated: true });
    expect(await s.listSubjects(svc)).toEqual(['ALICE', 'x'.repeat(50)]);
    await expect(s.renameSubject(svc, 'nobody', 'Someone')).rejects.toThrow(SubjectNotFound);
    await expect(s.renameSubject(svc, 'alice', '')).rejects.toThrow(ValidationError);

    await expect(s.deleteSubject(svc, 'nobody')).rejects.toThrow('Subject nobody not found');
    expect(await s.deleteSubject(svc, 'alice')).toEqual({ subject: 'ALICE' });
    expect(await s.deleteAllSubjects(svc)).toEqual({ deleted: 1 });
    expect(await s.listSubjects(svc)).toEqual([]);
  });

  it('lists subjects in the order they were added, also those added at the same instant', async () => {
    // now() is the transaction's start, so these share created_at, as subjects added within one millisecond do on
    // PGlite (its clock counts milliseconds): the list used to fall back to name order for them.
    const { db } = get();
    const svc = await createServiceRecord(db, { type: 'recognition', name: 'Same instant' });
    await db.transaction(async (tx) => {
      for (const name of ['Zoe', 'Mia', 'Ann']) await insertSubject(tx, svc.id, name);
    });
    expect(await subjects().listSubjects(svc)).toEqual(['Zoe', 'Mia', 'Ann']);
  });
});

it('`visor service create` prints an API key the server resolves, from the same environment', async () => {
  for (const backend of ['pglite', 'postgres'] as const) {
    const { config, cleanup } = await createTestDatabase(backend);
    const saved = { ...process.env };
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    try {
      process.env.VISOR_DATA_DIR = config.dataDir;
      if (config.databaseUrl) process.env.DATABASE_URL = config.databaseUrl;
      else delete process.env.DATABASE_URL;
      process.stdout.write = ((chunk: string) => out.push(chunk) > 0) as typeof process.stdout.write;
      const code = await serviceCommand.run(['create', '--type', 'recognition', '--name', 'Front door']);
      process.stdout.write = write;
      expect(code).toBe(0);
      const { api_key } = JSON.parse(out.join('')) as { api_key: string };
      const db = await openDatabase(config);
      expect(await resolveApiKey(db, api_key, 'recognition', 0)).toMatchObject({
        name: 'Front door',
        type: 'recognition',
      });
      await db.close();
    } finally {
      process.stdout.write = write;
      process.env = saved;
      await cleanup();
    }
  }
});

it('`visor service create` rejects a bad type or a missing name with usage', async () => {
  const err = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    expect(await serviceCommand.run(['create', '--type', 'bogus', '--name', 'x'])).toBe(2);
    expect(await serviceCommand.run(['create', '--type', 'detection'])).toBe(2);
    expect(await serviceCommand.run(['create', '--colour', 'red'])).toBe(2);
  } finally {
    process.stderr.write = err;
  }
});
