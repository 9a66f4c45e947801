// `bin/visor service create --embedder ID` offers what the server offers: the built-in embedders and the valid
// embedders of the VISOR_MODELS_DIR packs; an invalid pack file is refused with the reason the server logs for it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedderOption } from '../../../server/src/cli/embedder-option.js';
import { identityEmbedder } from './graphs.js';

describe('the CLI --embedder option', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'visor-cli-embedder-'));
    await mkdir(join(dir, 'mine'));
    await writeFile(join(dir, 'mine/w600k_r50.onnx'), identityEmbedder());
    await writeFile(join(dir, 'mine/w600k_bad.onnx'), new Uint8Array([1, 2, 3, 4]));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const config = (modelsDir?: string) => ({ searchBackend: 'memory' as const, modelsDir });

  it('takes a built-in embedder and a valid pack embedder', async () => {
    expect(await embedderOption(config(), 'faceapi-recognition')).toMatchObject({
      model: 'faceapi-recognition',
    });
    expect(await embedderOption(config(dir), 'mine.w600k_r50')).toMatchObject({ model: 'mine.w600k_r50' });
  });

  it('refuses a pack embedder when no models folder is set, and an invalid one with its reason', async () => {
    await expect(embedderOption(config(), 'mine.w600k_r50')).rejects.toThrow(
      /is not available; choose one of/,
    );
    await expect(embedderOption(config(dir), 'mine.w600k_bad')).rejects.toThrow(
      /mine\.w600k_bad in mine\/w600k_bad\.onnx is invalid: .+/,
    );
  });
});
