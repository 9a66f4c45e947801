// `visor detect|embed|compare`: run the face engine on image files, one JSON line per image; models load once.
import { readFile } from 'node:fs/promises';
import type { FaceAnalysis, FaceEngine } from '../../../shared/engine/types.js';
import { VisorError } from '../../../shared/errors.js';
import { loadConfig } from '../config.js';
import { decodeImage } from '../image/decode.js';
import { createServerEngine } from '../inference/engine.js';

export interface Command {
  run(args: string[]): Promise<number>;
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

type DecodeLimits = { maxSide: number; maxPixels: number };

/** The server's decode limits (ANALYSIS_MAX_SIDE, MAX_IMAGE_PIXELS), so the CLI and the API give the same faces. */
function decodeLimits(): DecodeLimits {
  const config = loadConfig();
  return { maxSide: config.analysisMaxSide, maxPixels: config.maxImagePixels };
}

async function analyzeFile(engine: FaceEngine, limits: DecodeLimits, file: string, embed: boolean) {
  const image = await decodeImage(new Uint8Array(await readFile(file)), limits);
  return (await engine.analyze(image, { embed })).faces;
}

function perImage(embed: boolean): Command {
  return {
    async run(files) {
      if (!files.length) {
        process.stderr.write(`usage: visor ${embed ? 'embed' : 'detect'} <images...>\n`);
        return 2;
      }
      const limits = decodeLimits();
      const engine = await createServerEngine();
      let failed = 0;
      try {
        for (const file of files) {
          try {
            const faces = await analyzeFile(engine, limits, file, embed);
            process.stdout.write(
              JSON.stringify({ file, faces: faces.map((f) => faceJson(f, embed)) }) + '\n',
            );
          } catch (e) {
            if (!(e instanceof VisorError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
            failed++;
            process.stdout.write(JSON.stringify({ file, faces: [], error: message(e) }) + '\n');
          }
        }
      } finally {
        await engine.dispose();
      }
      return failed ? 1 : 0;
    },
  };
}

export const detectCommand = perImage(false);
export const embedCommand = perImage(true);

/** Prints the calibrated similarity of the biggest face in each of two images. */
export const compareCommand: Command = {
  async run(args) {
    if (args.length !== 2) {
      process.stderr.write('usage: visor compare <a> <b>\n');
      return 2;
    }
    const limits = decodeLimits();
    const engine = await createServerEngine();
    try {
      const [a, b] = await Promise.all(
        args.map(async (file) => ({ file, face: (await analyzeFile(engine, limits, file, true))[0] })),
      );
      const missing = [a, b].filter((x) => !x.face).map((x) => x.file);
      if (missing.length) {
        process.stdout.write(JSON.stringify({ error: `no face found in ${missing.join(', ')}` }) + '\n');
        return 1;
      }
      const similarity = engine.similarity(a.face.embedding!, b.face.embedding!);
      process.stdout.write(JSON.stringify({ a: a.file, b: b.file, similarity: round(similarity, 5) }) + '\n');
      return 0;
    } finally {
      await engine.dispose();
    }
  },
};
