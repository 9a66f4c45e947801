// A face service's embedder (issue 17.1): the ones this server offers, the choice at creation, and what a service's
// embedder means for its embeddings (size, similarity). Recognition, verification, enrolment, sync and the search
// index all go through `embedderOf`.
import { embedderModel, embedderSimilarity, type EmbedderInfo } from '../../../shared/engine/embedders.js';
import type { FaceEngine } from '../../../shared/engine/types.js';
import { PluginUnavailable, ValidationError } from '../../../shared/errors.js';
import type { Config } from '../config.js';

/** The dimension of pgvector's `example_vectors.embedding` (db/pgvector/002_vectors_512.sql). */
export const PGVECTOR_DIM = 512;

/** What these need of an engine (sync and tests may hand in less than a whole one). */
export type EngineView = Pick<FaceEngine, 'embedderId' | 'embeddingSize'> &
  Partial<Pick<FaceEngine, 'similarity' | 'embedders'>>;

/** The embedders this server offers: the engine's list, or just its own embedder (engines that list none). */
export function offeredEmbedders(engine: EngineView): readonly EmbedderInfo[] {
  if (engine.embedders?.length) return engine.embedders;
  const model = embedderModel(engine.embedderId);
  const version = Number(engine.embedderId.split('@')[1] ?? 1);
  // The engine's own similarity: its calibration is not known here (c1 = 0 marks it unused).
  const calibration = { c0: 0, c1: 0 };
  return [
    {
      model,
      version,
      key: engine.embedderId,
      dim: engine.embeddingSize,
      description: model,
      calibration,
      default: true,
    },
  ];
}

/** The embedder a new service gets when none is chosen: the engine's own. */
export function defaultEmbedder(engine: EngineView): EmbedderInfo {
  const list = offeredEmbedders(engine);
  return list.find((e) => e.key === engine.embedderId) ?? list[0];
}

/**
 * The embedder named by a client (`faceapi-recognition` or `faceapi-recognition@1`); undefined = the default.
 * ValidationError names the choices; with the pgvector backend only 512-d embedders can be searched.
 */
export function chooseEmbedder(
  engine: EngineView,
  config: Pick<Config, 'searchBackend'>,
  id: unknown,
): EmbedderInfo {
  if (id === undefined || id === null || id === '') return defaultEmbedder(engine);
  const list = offeredEmbedders(engine);
  const choices = list.map((e) => e.model).join(', ');
  if (typeof id !== 'string') throw new ValidationError(`embedder must be one of ${choices}`);
  const found = list.find((e) => e.key === id || e.model === id);
  if (!found) throw new ValidationError(`embedder ${id} is not available; choose one of ${choices}`);
  if (config.searchBackend === 'pgvector' && found.dim !== PGVECTOR_DIM)
    throw new ValidationError(
      `embedder ${found.model} makes ${found.dim}-d embeddings; SEARCH_BACKEND=pgvector holds ${PGVECTOR_DIM}-d ones`,
    );
  return found;
}

/** What a service's embedder key means for its embeddings. */
export interface ServiceEmbedder {
  /** `model@version`: stored with each embedding, compared by sync. */
  key: string;
  /** Manifest model id, passed to the engine as `AnalyzeOptions.embedder`. */
  model: string;
  dim: number;
  /** Calibrated similarity of two unit embeddings of this model (0.5 at its equal-error point). */
  similarity(a: Float32Array, b: Float32Array): number;
}

/** The service's embedder; PluginUnavailable when this server does not run it (its models are missing). */
export function embedderOf(engine: EngineView, key: string): ServiceEmbedder {
  const info = offeredEmbedders(engine).find((e) => e.key === key);
  if (!info)
    throw new PluginUnavailable(
      `this service's embedder ${key} is not available on this server (models/manifest.json)`,
    );
  return {
    key,
    model: info.model,
    dim: info.dim,
    similarity: key === engine.embedderId && engine.similarity ? engine.similarity : embedderSimilarity(info),
  };
}
