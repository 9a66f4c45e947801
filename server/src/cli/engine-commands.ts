// `visor detect|embed|compare`: run the face engine on image files, folders (recursively) and path lists, one
// JSON line per image on stdout in input order; the images are decoded and analysed on the inference pool
// (`--jobs N` workers, each loading the models once), with a progress bar on stderr when it is a terminal.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { FaceAnalysis } from '../../../shared/engine/types.js';
import { loadConfig } from '../config.js';
import { createPooledEngine } from '../inference/pool/index.js';
import { expandInputs, readPathList } from './inputs.js';
import { forEachOrdered } from './ordered.js';
import { progressBar } from './progress.js';
import { cliCommand, type CliCommand } from './program.js';

const EXTENSIONS_NOTE =
  'folders are searched recursively for .jpg .jpeg .png .webp .gif .bmp .tif .tiff .ico files;\n' +
  '--files-from reads one path per line (or NUL-separated), - for stdin';

interface EngineArgs {
  paths: string[];
  jobs: number;
  progress: boolean | undefined;
}

interface EngineOptions {
  filesFrom?: string[];
  jobs?: string;
  progress?: boolean;
}

/** The inputs and options every engine command takes. */
function engineOptions(cmd: Command): Command {
  return cmd
    .option(
      '--files-from <file>',
      'read more paths from FILE (- for stdin); repeatable',
      (v, prev?: string[]) => [...(prev ?? []), v],
    )
    .option('-j, --jobs <n>', 'inference workers, 1 to 256', '1')
    .option('--progress', 'force the progress bar on stderr on')
    .option('--no-progress', 'force it off (default: on when stderr is a terminal)')
    .addHelpText('after', `\n${EXTENSIONS_NOTE}`);
}

/** The command's inputs, or the exit code after saying what is wrong (2). */
async function collect(name: string, inputs: string[], values: EngineOptions): Promise<EngineArgs | number> {
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) {
    process.stderr.write(`visor ${name}: --jobs must be a whole number from 1 to 256\n`);
    return 2;
  }
  const listed: string[] = [];
  for (const source of values.filesFrom ?? []) {
    try {
      listed.push(...(await readPathList(source)));
    } catch (e) {
      process.stderr.write(`visor ${name}: cannot read --files-from ${source}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  return { paths: [...inputs, ...listed], jobs, progress: values.progress };
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

function perImage(embed: boolean): CliCommand {
  const name = embed ? 'embed' : 'detect';
  return cliCommand(name, (cmd, exit) => {
    engineOptions(cmd)
      .description(
        embed
          ? "one JSON line per image: faces with box, landmarks and each face's embedding"
          : 'one JSON line per image: faces with box and landmarks',
      )
      .argument('[inputs...]', 'image files and folders')
      .action(async (inputs: string[], values: EngineOptions) => {
        const a = await collect(name, inputs, values);
        if (typeof a === 'number') return exit(a);
        const files = await expandInputs(a.paths);
        if (!files.length) {
          process.stderr.write(a.paths.length ? `visor ${name}: no images found\n` : cmd.helpInformation());
          return exit(2);
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
          exit(failed ? 1 : 0);
        } finally {
          await engine.dispose();
        }
      });
  });
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
export const compareCommand = cliCommand('compare', (cmd, exit) => {
  engineOptions(cmd)
    .description("one line per image: similarity of its biggest face to the reference's biggest face")
    .argument('[reference]', 'the reference image')
    .argument('[inputs...]', 'image files and folders to compare with it')
    .action(async (reference: string | undefined, rest: string[], values: EngineOptions) => {
      const a = await collect('compare', reference === undefined ? rest : [reference, ...rest], values);
      if (typeof a === 'number') return exit(a);
      const [ref0, ...others] = a.paths;
      const files = await expandInputs(others);
      if (ref0 === undefined || !files.length) {
        process.stderr.write(cmd.helpInformation());
        return exit(2);
      }
      const { engine, analyze } = await openPool(a.jobs);
      try {
        const ref = biggest(await analyze(ref0, true), ref0);
        if ('error' in ref) {
          print({ a: ref0, error: ref.error });
          return exit(1);
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
          (file, o) => print({ a: ref0, b: file, ...o }),
        );
        exit(failed ? 1 : 0);
      } finally {
        await engine.dispose();
      }
    });
});
