// The browser engine gets the packs through the models route: the served manifest holds the valid packs, their
// files come from the models folder, and /models/packs.json says what became of every pack file.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCatalog } from '../../../shared/engine/manifest.js';
import { DEFAULT_MODELS_DIR } from '../../../server/src/inference/engine.js';
import { loadModelSet, type ModelSet } from '../../../server/src/inference/packs.js';
import { modelRoutes } from '../../../server/src/routes/models.js';
import { identityEmbedder } from './graphs.js';

describe('models route with packs', () => {
  let dir: string;
  let set: ModelSet;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'visor-pack-route-'));
    await mkdir(join(dir, 'mine'));
    await writeFile(join(dir, 'mine/w600k_mbf.onnx'), identityEmbedder());
    await writeFile(join(dir, 'mine/glintr100.onnx'), 'not a model');
    set = await loadModelSet(DEFAULT_MODELS_DIR, dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves the manifest with the valid packs, and their files', async () => {
    const app = modelRoutes(DEFAULT_MODELS_DIR, set);
    const manifest = (await (await app.request('/manifest.json')).json()) as ModelCatalog;
    expect(manifest.models['mine.w600k_mbf']).toMatchObject({
      task: 'embedder',
      file: 'pack.mine.w600k_mbf.onnx',
    });
    expect(manifest.models['mine.glintr100']).toBeUndefined();
    expect(manifest.models['blazeface-back']).toBeDefined();
    const res = await app.request('/pack.mine.w600k_mbf.onnx');
    expect(res.status).toBe(200);
    const served = Buffer.from(await res.arrayBuffer());
    expect(served.equals(await readFile(join(dir, 'mine/w600k_mbf.onnx')))).toBe(true);
    expect((await app.request('/pack.mine.glintr100.onnx')).status).toBe(404);
    const { packs } = (await (await app.request('/packs.json')).json()) as {
      packs: { file: string; status: string }[];
    };
    expect(packs.map((p) => [p.file, p.status])).toEqual([
      ['glintr100.onnx', 'invalid'],
      ['w600k_mbf.onnx', 'valid'],
    ]);
  });

  it('serves the built-in manifest file as it is without packs', async () => {
    const app = modelRoutes(DEFAULT_MODELS_DIR);
    const served = await (await app.request('/manifest.json')).text();
    expect(served).toBe(await readFile(join(DEFAULT_MODELS_DIR, 'manifest.json'), 'utf8'));
    expect(await (await app.request('/packs.json')).json()).toEqual({ packs: [] });
  });
});
