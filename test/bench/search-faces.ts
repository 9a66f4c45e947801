// Child process: the embeddings of LFW View 1's photos (the centred face of each, through the server's whole
// pipeline) for one embedder, written once to test/artifacts/search/ and reused by later runs, so that the search
// benchmark measures real face embeddings, not only random vectors. Prints the cache file's path.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeImage } from '../../server/src/image/decode.js';
import { createServerEngine } from '../../server/src/inference/engine.js';
import { centralFace } from '../eval/lfw.js';
import { sendResult } from './child.js';
import { ROOT } from './setup.js';

export const LFW_DIR = join(ROOT, '../shared/data/eval/lfw-view1');
const CACHE = join(ROOT, 'test/artifacts/search');

/** The cache of one embedder's LFW embeddings: `<base>.f32` (rows of dim floats) and `<base>.json` (FaceSet). */
export interface FaceSet {
  embedder: string;
  dim: number;
  /** The person of each row, in row order. */
  people: string[];
}

export const facesBase = (embedder: string) => join(CACHE, `lfw-${embedder.replace(/[^\w.-]+/g, '_')}`);

/** The cached rows and their people (after `search-faces.ts` ran for this embedder). */
export async function readFaces(base: string): Promise<{ set: FaceSet; rows: Float32Array }> {
  const set = JSON.parse(await readFile(`${base}.json`, 'utf8')) as FaceSet;
  const bytes = await readFile(`${base}.f32`);
  return { set, rows: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4) };
}

/** One face row: the person and the embedding (a view into the cache's rows). */
export interface FaceRow {
  person: string;
  v: Float32Array;
}

/**
 * The split every search benchmark uses: a person's last photo is a held-out query when the person has another
 * photo among the rows; every other photo is a row.
 */
export function splitFaces(set: FaceSet, rows: Float32Array): { rows: FaceRow[]; queries: Float32Array[] } {
  const at = (i: number) => rows.subarray(i * set.dim, (i + 1) * set.dim);
  const out: FaceRow[] = [];
  const queries: Float32Array[] = [];
  set.people.forEach((person, i) => {
    const last = set.people[i + 1] !== person;
    if (last && set.people[i - 1] === person) queries.push(at(i));
    else out.push({ person, v: at(i) });
  });
  return { rows: out, queries };
}

if (process.argv[1]?.endsWith('search-faces.ts')) {
  const { values } = parseArgs({ options: { embedder: { type: 'string' } } });
  const engine = await createServerEngine(values.embedder ? { embedder: values.embedder } : {});
  const base = facesBase(engine.embedderId);
  // another run already computing them: wait for its cache rather than compute them twice
  for (let waited = 0; existsSync(`${base}.lock`) && waited < 3_600_000; waited += 5000) await sleep(5000);
  if (!existsSync(`${base}.json`)) {
    await mkdir(CACHE, { recursive: true });
    await writeFile(`${base}.lock`, String(process.pid));
    const people = (await readdir(LFW_DIR, { withFileTypes: true })).filter((d) => d.isDirectory());
    const rows: Float32Array[] = [];
    const names: string[] = [];
    let done = 0;
    for (const person of people.map((d) => d.name).sort()) {
      for (const file of (await readdir(join(LFW_DIR, person))).sort()) {
        const image = await decodeImage(new Uint8Array(await readFile(join(LFW_DIR, person, file))));
        const embedding = centralFace(await engine.analyze(image, { embed: true }))?.embedding;
        if (embedding) {
          rows.push(Float32Array.from(embedding));
          names.push(person);
        }
        if (++done % 500 === 0) process.stderr.write(`lfw embeddings ${engine.embedderId}: ${done}\n`);
      }
    }
    const all = new Float32Array(rows.length * engine.embeddingSize);
    rows.forEach((r, i) => all.set(r, i * engine.embeddingSize));
    await writeFile(`${base}.f32`, new Uint8Array(all.buffer));
    const set: FaceSet = { embedder: engine.embedderId, dim: engine.embeddingSize, people: names };
    await writeFile(`${base}.json`, JSON.stringify(set));
    await rm(`${base}.lock`);
  }
  await engine.dispose();
  sendResult(base);
}
