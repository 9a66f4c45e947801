// Face-like embeddings for the search tests: clustered as a real embedder's are (the benchmark uses real ones).
import { normalize } from '../../server/src/search/vector-index.js';
import { randomUnit } from './random.js';

/**
 * Face-like embeddings: identities spread around a common direction (real embedders' vectors share a mean), each
 * photo its identity plus noise, so that photos of one person score about 0.5–0.8 together and strangers 0–0.4.
 */
export function faces(next: () => number, dim: number, people: number, perPerson: number) {
  const mean = randomUnit(next, dim);
  const rows: { person: number; v: Float32Array }[] = [];
  const held: { person: number; v: Float32Array }[] = [];
  for (let p = 0; p < people; p++) {
    const centre = randomUnit(next, dim).map((x, i) => x + 0.5 * mean[i]);
    const photo = () => normalize(centre.map((x) => x + 2.2 * next() * Math.sqrt(12 / dim) * 0.5));
    for (let i = 0; i < perPerson; i++) rows.push({ person: p, v: photo() });
    held.push({ person: p, v: photo() });
  }
  return { rows, held };
}
