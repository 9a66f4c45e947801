// `bin/visor service create --embedder ID` (issue 17.1): the embedder a new service records, checked against the
// built models (models/manifest.json) and the valid packs of VISOR_MODELS_DIR, as the server checks it at start.
import { listEmbedders } from '../../../shared/engine/embedders.js';
import { ValidationError } from '../../../shared/errors.js';
import type { Config } from '../config.js';
import { DEFAULT_MODELS_DIR } from '../inference/engine.js';
import { loadModelSet } from '../inference/packs.js';
import { chooseEmbedder } from '../services/service-embedder.js';

/** The embedder named by `--embedder` (undefined: the default); ValidationError names the choices. */
export async function embedderOption(
  config: Pick<Config, 'searchBackend' | 'modelsDir'>,
  id: string | undefined,
): Promise<{ model: string; version: number } | undefined> {
  if (id === undefined) return undefined;
  const { catalog, packs } = await loadModelSet(DEFAULT_MODELS_DIR, config.modelsDir);
  const embedders = listEmbedders(catalog);
  const invalid = packs.find(
    (p) => p.status === 'invalid' && id === `${p.pack}.${p.file.replace(/\.onnx$/, '')}`,
  );
  if (invalid)
    throw new ValidationError(
      `embedder ${id} in ${invalid.pack}/${invalid.file} is invalid: ${invalid.reason}`,
    );
  const fallback = embedders.find((e) => e.default) ?? embedders[0];
  if (!fallback) throw new Error(`no embedder is built (${DEFAULT_MODELS_DIR}/manifest.json)`);
  const engine = { embedderId: fallback.key, embeddingSize: fallback.dim, embedders };
  const { model, version } = chooseEmbedder(engine, config, id);
  return { model, version };
}
