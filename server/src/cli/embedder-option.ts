// `bin/visor service create --embedder ID` (issue 17.1): the embedder a new service records, checked against the
// built models (models/manifest.json) as the server checks it, without loading an engine.
import { listEmbedders } from '../../../shared/engine/embedders.js';
import type { Config } from '../config.js';
import { DEFAULT_MODELS_DIR } from '../inference/engine.js';
import { readManifest } from '../inference/ort.js';
import { chooseEmbedder } from '../services/service-embedder.js';

/** The embedder named by `--embedder` (undefined: the default); ValidationError names the choices. */
export async function embedderOption(
  config: Pick<Config, 'searchBackend'>,
  id: string | undefined,
): Promise<{ model: string; version: number } | undefined> {
  if (id === undefined) return undefined;
  const embedders = listEmbedders(await readManifest(DEFAULT_MODELS_DIR));
  const fallback = embedders.find((e) => e.default) ?? embedders[0];
  if (!fallback) throw new Error(`no embedder is built (${DEFAULT_MODELS_DIR}/manifest.json)`);
  const engine = { embedderId: fallback.key, embeddingSize: fallback.dim, embedders };
  const { model, version } = chooseEmbedder(engine, config, id);
  return { model, version };
}
