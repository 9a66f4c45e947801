// The integration and browser lanes' face engine and image decoder. The engine is the server's real one
// (createServerEngine, the repository's models), loaded once per worker process and shared by every file the worker
// runs (the lane runs with `isolate: false`), with its analyses remembered per image and options. The storage and API
// suites enrol and recognise the same sample photos over and over, in many files and on both databases; what they check
// is what the services, the SQL and the API do with the engine's answer, and the answer to the same pixels and options
// is the same every time, so each distinct analysis runs the real models once per worker and is copied out afterwards.
// The models themselves are tested in the models lane. Tests that exercise the engine's own work (the pool) load their
// own. test/storage/service-embedder.test.ts uses this one too: its switch jobs then run faster than at the real
// engine's pace (remembered analyses once showed a recognition racing a switch; the product now answers it with the new
// embedder, and that file tests it directly with a service resolved before the switch). The browser lane's servers use
// it as well (test/browser/server.ts and admin-server.ts, test/web/stack.ts, and the server-side references of parity
// and kiosk-tracking): what those suites check is the page's work on the server's answers, and that lane also runs file
// after file in one worker.
import { createHash } from 'node:crypto';
import type { AnalyzeOptions, AnalyzeResult, FaceEngine } from '../../shared/engine/types.js';
import type { RawImage } from '../../shared/image.js';
import { decodeImage, type DecodeOptions } from '../../server/src/image/decode.js';
import { createServerEngine } from '../../server/src/inference/engine.js';

const SHARED = Symbol.for('visor.test.engine');
type WithEngine = typeof globalThis & { [SHARED]?: Promise<FaceEngine> };

/** What an analysis depends on: the pixels, their geometry (and any source scale), and the options. */
function keyOf(image: RawImage, opts: AnalyzeOptions | undefined): string {
  const { data, ...geometry } = image;
  const pixels = createHash('sha1').update(data).digest('hex');
  return `${pixels} ${JSON.stringify(geometry)} ${JSON.stringify(opts ?? {})}`;
}

function remembering(engine: FaceEngine): FaceEngine {
  const done = new Map<string, Promise<AnalyzeResult>>();
  return {
    ...engine,
    analyze(image, opts) {
      const key = keyOf(image, opts);
      let result = done.get(key);
      if (!result) {
        result = engine.analyze(image, opts);
        done.set(key, result);
        // a failed analysis is not remembered: the next call runs it again
        result.catch(() => done.delete(key));
      }
      // a copy each time: callers may change what they get
      return result.then((r) => structuredClone(r));
    },
    // shared by the files after this one: the worker's exit frees it
    dispose: async () => {},
  };
}

/** The worker's shared engine (see above); `dispose()` on it does nothing. */
export function testEngine(): Promise<FaceEngine> {
  const g = globalThis as WithEngine;
  g[SHARED] ??= createServerEngine().then(remembering);
  return g[SHARED];
}

const DECODED = Symbol.for('visor.test.decoded');
type WithDecoded = typeof globalThis & { [DECODED]?: Map<string, RawImage> };
/** Decoded images kept per worker, the most recently used: the sample photos the suites send again and again. */
const KEEP = 24;

/**
 * The server's decoder (decodeImage), remembering its last images per worker by bytes and limits: a 20-megapixel
 * sample costs 0.1–0.2 s to decode, and the suites send the same few over and over. Refusals are not remembered
 * (the next call decodes again and throws again); every caller gets its own copy of the pixels.
 */
export async function testDecode(bytes: Uint8Array, opts: DecodeOptions = {}): Promise<RawImage> {
  const g = globalThis as WithDecoded;
  const kept = (g[DECODED] ??= new Map());
  const key = `${createHash('sha1').update(bytes).digest('hex')} ${JSON.stringify(opts)}`;
  let image = kept.get(key);
  if (image) kept.delete(key);
  else image = await decodeImage(bytes, opts);
  kept.set(key, image);
  if (kept.size > KEEP) kept.delete(kept.keys().next().value!);
  const data =
    image.data instanceof Uint8ClampedArray ? new Uint8ClampedArray(image.data) : new Uint8Array(image.data);
  return { ...image, data };
}
