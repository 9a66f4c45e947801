// The collection in memory for per-frame matching: the embeddings of one collection's examples made by the
// running engine's model, compared with the engine's calibrated similarity (shared/engine/similarity.ts).
import type { FaceEngine } from '../../../shared/engine/types.js';
import { isMatch } from '../../../shared/match.js';
import { examplesFor } from '../lib/db/examples.js';

export interface Match {
  subject: string;
  similarity: number;
}

export class Gallery {
  private readonly items: { subject: string; embedding: Float32Array }[] = [];

  private constructor(private readonly engine: Pick<FaceEngine, 'similarity' | 'embedderId'>) {}

  static async load(
    collection: string,
    engine: Pick<FaceEngine, 'similarity' | 'embedderId'>,
  ): Promise<Gallery> {
    const g = new Gallery(engine);
    for (const e of await examplesFor(collection, engine.embedderId)) g.add(e.subject, e.embedding);
    return g;
  }

  get size(): number {
    return this.items.length;
  }

  add(subject: string, embedding: Float32Array): void {
    this.items.push({ subject, embedding });
  }

  /** The most similar subject when it clears `threshold`, else undefined ("unknown"). */
  match(embedding: Float32Array, threshold: number): Match | undefined {
    let best: Match | undefined;
    for (const it of this.items) {
      const similarity = this.engine.similarity(embedding, it.embedding);
      if (!best || similarity > best.similarity) best = { subject: it.subject, similarity };
    }
    return best && isMatch(best.similarity, threshold) ? best : undefined;
  }
}
