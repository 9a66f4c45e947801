// The server's inference pool with a models folder: the main thread checks the packs once, the worker threads get
// the catalog and the pack files, and a pack embedder asked for per call (a service's choice) runs there.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_DIR } from '../../../server/src/inference/engine.js';
import { loadModelSet } from '../../../server/src/inference/packs.js';
import { createPooledEngine, type PooledEngine } from '../../../server/src/inference/pool/index.js';
import { identityEmbedder } from './graphs.js';

const PHOTO = join(import.meta.dirname, '../../fixtures/compreface-samples/009_C.jpg');

describe('a pack embedder in the inference pool', () => {
  let dir: string;
  let pool: PooledEngine;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'visor-pack-pool-'));
    await mkdir(join(dir, 'p'));
    await writeFile(join(dir, 'p/w600k_r50.onnx'), identityEmbedder());
    const models = await loadModelSet(DEFAULT_MODELS_DIR, dir);
    pool = await createPooledEngine({ workers: 1, queueLimit: 2, models });
  });
  afterAll(async () => {
    await pool?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('embeds with the pack on a worker thread, the built-in embedder staying the default', async () => {
    const bytes = new Uint8Array(await readFile(PHOTO));
    const own = await pool.analyzeBytes(bytes, { embed: true });
    const pack = await pool.analyzeBytes(bytes, { embed: true, embedder: 'p.w600k_r50' });
    expect(pool.embedderId).toBe('faceplugin-recognition@1');
    expect(own.faces[0].embedding).toHaveLength(512);
    expect(pack.faces[0].embedding).toHaveLength(512);
    expect(pack.faces[0].box).toEqual(own.faces[0].box);
    // a different model: the identity embedder's vector is not the ArcFace one
    const dot = own.faces[0].embedding!.reduce((s, v, i) => s + v * pack.faces[0].embedding![i], 0);
    expect(Math.abs(dot)).toBeLessThan(0.9);
  });
});
