// The embedders a face service may choose (issue 17.1): profiles.ts's registry (built-in models present in the
// catalog, then valid packs) as the server, sync and the admin API use it: each named by a key
// `<model>@<pipeline version>` stored with every embedding, with its size and similarity calibration.
import type { ModelCatalog } from './manifest.js';
import { PIPELINE_VERSION, availableModels, profilesOf } from './profiles.js';
import { calibratedSimilarity, l2distance } from './similarity.js';
import type { EmbedderInfo } from './types.js';

export { PIPELINE_VERSION };

/**
 * The embedder chosen by LFW View 1 (devtrain 99.50 %, devtest 99.30 % through the whole pipeline, against 99.32 % and
 * 98.90 % for face-api's 128-d ResNet). Services created before embedders were chosen per service use it.
 */
export const DEFAULT_EMBEDDER = 'faceplugin-recognition';

/** What a service may choose (defined with the engine's contract, types.ts, which must not import this file). */
export type { EmbedderInfo } from './types.js';

/** The model id of an embedder key (`faceapi-recognition@1` → `faceapi-recognition`); a bare id is returned as is. */
export const embedderModel = (keyOrModel: string): string => keyOrModel.replace(/@[^@]*$/, '');

/** The embedders a service may choose from the catalog, with their sizes and calibrations. */
export function listEmbedders(catalog: ModelCatalog): EmbedderInfo[] {
  const profiles = profilesOf(catalog);
  return availableModels(catalog).embedders.map((m) => {
    const p = profiles.embedder(m.id);
    return {
      model: m.id,
      version: PIPELINE_VERSION,
      key: m.version,
      dim: p.dims,
      description: m.description,
      calibration: p.calibration,
      default: m.id === DEFAULT_EMBEDDER,
    };
  });
}

/** The calibrated similarity in [0,1] of two unit embeddings of an embedder (0.5 at its equal-error point). */
export function embedderSimilarity(e: Pick<EmbedderInfo, 'calibration'>) {
  return (a: Float32Array, b: Float32Array): number => calibratedSimilarity(l2distance(a, b), e.calibration);
}
