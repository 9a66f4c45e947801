// Visor's engine as the benchmark drives it: createServerEngine, every offered plugin or none.
import { PluginUnavailable } from '../../shared/errors.js';
import { PLUGINS, type PluginName } from '../../shared/engine/types.js';
import type { RawImage } from '../../shared/image.js';
import { loadConfig } from '../../server/src/config.js';
import { createServerEngine } from '../../server/src/inference/engine.js';
import type { BenchEngine, LoadOptions } from './engines.js';

/** Finds which plugins the engine offers by asking for each one on a real photo. */
async function offered(
  analyze: (img: RawImage, plugins: PluginName[]) => Promise<unknown>,
  probe: RawImage,
): Promise<{ plugins: PluginName[]; unavailable: PluginName[] }> {
  const plugins: PluginName[] = [];
  const unavailable: PluginName[] = [];
  for (const p of PLUGINS) {
    if (p === 'calculator') continue; // the embedding is always computed (embed: true)
    try {
      await analyze(probe, [p]);
      plugins.push(p);
    } catch (e) {
      if (!(e instanceof PluginUnavailable)) throw e;
      unavailable.push(p);
    }
  }
  return { plugins, unavailable };
}

export async function loadVisor(opts: LoadOptions): Promise<BenchEngine> {
  const engine = await createServerEngine({ intraOpThreads: opts.threads });
  const analyze = (img: RawImage, plugins: PluginName[]) => engine.analyze(img, { embed: true, plugins });
  const found =
    opts.plugins === 'all' && opts.probe
      ? await offered(analyze, opts.probe)
      : { plugins: [], unavailable: [] };
  return {
    name: 'visor',
    describe: `detect + 68 landmarks + aligned embedding (${engine.embedderId})${
      found.plugins.length ? ` + plugins ${found.plugins.join(', ')}` : ''
    }; onnxruntime intra-op threads: ${opts.threads ?? 'default (half the cores, 1-4)'}`,
    plugins: found.plugins,
    unavailable: found.unavailable,
    // as the server decodes: photos longer than ANALYSIS_MAX_SIDE (default) decode reduced
    decode: { maxSide: loadConfig().analysisMaxSide },
    async infer(image) {
      const r = await analyze(image, found.plugins);
      const stages: Record<string, number> = { ...r.execution_time };
      for (const f of r.faces)
        for (const [k, v] of Object.entries(f.execution_time)) stages[k] = (stages[k] ?? 0) + v;
      return { faces: r.faces.length, stages };
    },
    dispose: () => engine.dispose(),
  };
}
