// `visor detect|embed|compare`: run the face engine on image files, folders (recursively) and path lists, one
// JSON line per image on stdout in input order; the images are decoded and analysed on the inference pool
// (`--jobs N` workers, each loading the models once), with a progress bar on stderr when it is a terminal.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { FaceAnalysis } from '../../../shared/engine/types.js';
import { loadConfig } from '../config.js';
import { createPooledEngine } from '../inference/pool/index.js';
import { expandInputs, readPathList } from './inputs.js';
import { forEachOrdered } from './ordered.js';
import { progressBar } from './progress.js';

export interface Command {
  run(args: string[]): Promise<number>;
}

const INPUTS = `<images, folders...> [--files-from FILE|-] [--jobs N] [--progress|--no-progress]`;
const usageOf = (name: string) =>
  name === 'compare'
    ? `usage: visor compare <reference> ${INPUTS}\n` +
      "  one line per image: similarity of its biggest face to the reference's biggest face\n"
    : `usage: visor ${name} ${INPUTS}\n` +
      '  folders are searched recursively for .jpg .jpeg .png .webp .gif .bmp .tif .tiff .ico files;\n' +
      '  --files-from reads one path per line (or NUL-separated), - for stdin; --jobs: inference workers (default 1)\n';

const options = {
  'files-from': { type: 'string', multiple: true },
  jobs: { type: 'string', short: 'j' },
  progress: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface EngineArgs {
  paths: string[];
  jobs: number;
  progress: boolean | undefined;
}

/** The command's arguments, or the exit code after printing usage (0 for --help, 2 for a mistake). */
async function parse(name: string, args: string[]): Promise<EngineArgs | number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true });
  } catch (e) {
    process.stderr.write(`visor ${name}: ${(e as Error).message}\n${usageOf(name)}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(usageOf(name));
    return 0;
  }
  const jobs = values.jobs === undefined ? 1 : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) {
    process.stderr.write(`visor ${name}: --jobs must be a whole number from 1 to 256\n`);
    return 2;
  }
  const listed: string[] = [];
  for (const source of values['files-from'] ?? []) {
    try {
      listed.push(...(await readPathList(source)));
    } catch (e) {
      process.stderr.write(`visor ${name}: cannot read --files-from ${source}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const progress = values['no-progress'] ? false : values.progress ? true : undefined;
  return { paths: [...positionals, ...listed], jobs, progress };
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

function faceJson(f: FaceAnalysis, withEmbedding: boolean) {
  const { probability, x_min, y_min, x_max, y_max } = f.box;
  return {
    box: { x_min, y_min, x_max, y_max, probability: round(probability, 5) },
    landmarks: f.landmarks,
    ...(withEmbedding && f.embedding ? { embedding: Array.from(f.embedding, (v) => round(v, 6)) } : {}),
  };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const print = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

/** What one input gave: a value, or why it failed (the run goes on). */
type Outcome<T> = T | { error: string };

/**
 * The pool with `jobs` workers and a function analysing one file on it: read here, decoded and analysed on a
 * worker with the server's limits (MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, ANALYSIS_MAX_SIDE), so the CLI and the
 * API find the same faces. A file that cannot be read or decoded is an outcome, not an exception.
 */
async function openPool(jobs: number) {
  const config = loadConfig();
  const engine = await createPooledEngine({
    workers: jobs,
    queueLimit: jobs,
    intraOpThreads: config.intraOpThreads,
  });
  const decode = {
    maxPixels: config.maxImagePixels,
    maxSide: config.analysisMaxSide,
    maxImageSide: config.maxImageSide,
  };
  const analyze = async (file: string, embed: boolean): Promise<Outcome<{ faces: FaceAnalysis[] }>> => {
    try {
      const bytes = new Uint8Array(await readFile(file));
      return { faces: (await engine.analyzeBytes(bytes, { embed }, decode)).faces };
    } catch (e) {
      return { error: message(e) };
    }
  };
  return { engine, analyze };
}

/**
 * Analyses every input `jobs * 2` at a time (the pool's workers stay fed while files are read) and hands each
 * outcome on in input order; returns how many failed.
 */
async function analyzeAll<T extends object>(
  files: string[],
  a: EngineArgs,
  label: string,
  work: (file: string) => Promise<Outcome<T>>,
  emit: (file: string, outcome: Outcome<T>) => void,
): Promise<number> {
  const bar = progressBar(files.length, { enabled: a.progress, label });
  let failed = 0;
  try {
    await forEachOrdered(files, a.jobs * 2, work, (outcome, file) => {
      const bad = 'error' in outcome;
      if (bad) failed++;
      bar.tick(bad);
      emit(file, outcome);
    });
  } finally {
    bar.done();
  }
  return failed;
}

function perImage(embed: boolean): Command {
  const name = embed ? 'embed' : 'detect';
  return {
    async run(args) {
      const a = await parse(name, args);
      if (typeof a === 'number') return a;
      const files = await expandInputs(a.paths);
      if (!files.length) {
        process.stderr.write(a.paths.length ? `visor ${name}: no images found\n` : usageOf(name));
        return 2;
      }
      const { engine, analyze } = await openPool(a.jobs);
      try {
        const failed = await analyzeAll(
          files,
          a,
          name,
          (file) => analyze(file, embed),
          (file, o) =>
            print(
              'error' in o
                ? { file, faces: [], error: o.error }
                : { file, faces: o.faces.map((f) => faceJson(f, embed)) },
            ),
        );
        return failed ? 1 : 0;
      } finally {
        await engine.dispose();
      }
    },
  };
}

export const detectCommand = perImage(false);
export const embedCommand = perImage(true);

/** The biggest face's embedding, or why there is none. */
function biggest(o: Outcome<{ faces: FaceAnalysis[] }>, file: string): Outcome<{ embedding: Float32Array }> {
  if ('error' in o) return o;
  const embedding = o.faces[0]?.embedding;
  return embedding ? { embedding } : { error: `no face found in ${file}` };
}

/** Prints the calibrated similarity of each image's biggest face to the reference image's biggest face. */
export const compareCommand: Command = {
  async run(args) {
    const a = await parse('compare', args);
    if (typeof a === 'number') return a;
    const [reference, ...rest] = a.paths;
    const files = await expandInputs(rest);
    if (reference === undefined || !files.length) {
      process.stderr.write(usageOf('compare'));
      return 2;
    }
    const { engine, analyze } = await openPool(a.jobs);
    try {
      const ref = biggest(await analyze(reference, true), reference);
      if ('error' in ref) {
        print({ a: reference, error: ref.error });
        return 1;
      }
      const failed = await analyzeAll(
        files,
        a,
        'compare',
        async (file): Promise<Outcome<{ similarity: number }>> => {
          const face = biggest(await analyze(file, true), file);
          if ('error' in face) return face;
          return { similarity: round(engine.similarity(ref.embedding, face.embedding), 5) };
        },
        (file, o) => print({ a: reference, b: file, ...o }),
      );
      return failed ? 1 : 0;
    } finally {
      await engine.dispose();
    }
  },
};
