// The browser's one onnxruntime-web gateway (runs in the engine worker): loads the runtime from the server's
// /ort/ files through the asset cache, picks the backend by one fallback chain — WebGPU when an adapter exists,
// else WASM (SIMD, threads when cross-origin isolated) — and implements the shared SessionProvider.
import type * as Ort from 'onnxruntime-web';
import type { ModelCatalog } from '../../../../shared/engine/manifest.js';
import {
  OrtModelSession,
  SessionCache,
  type ModelSession,
  type SessionProvider,
} from '../../../../shared/engine/session.js';
import { NotReady } from '../../../../shared/errors.js';
import type { EngineAssets, OrtIndex } from './assets.js';
import type { BrowserRuntime } from './runtime.js';

export type Backend = 'webgpu' | 'wasm';
export type BackendPreference = Backend | 'auto';

/** The onnxruntime-web build each backend loads: its entry module, Emscripten glue and wasm binary. */
const BUILDS: Record<Backend, { entry: string; glue: string; wasm: string }> = {
  webgpu: {
    entry: 'ort.webgpu.min.mjs',
    glue: 'ort-wasm-simd-threaded.asyncify.mjs',
    wasm: 'ort-wasm-simd-threaded.asyncify.wasm',
  },
  wasm: {
    entry: 'ort.wasm.min.mjs',
    glue: 'ort-wasm-simd-threaded.mjs',
    wasm: 'ort-wasm-simd-threaded.wasm',
  },
};

export interface OrtChoice {
  backend: Backend;
  threads: number;
  simd: boolean;
  /** The worker was cross-origin isolated (SharedArrayBuffer), the condition for WASM threads. */
  isolated: boolean;
  version: string;
  /** Why the chain moved past a backend (e.g. WebGPU adapter missing) and why the thread count is what it is. */
  notes: string[];
}

/** One line for people: `wasm, SIMD, 1 thread (webgpu: no adapter; wasm: one core free)`. */
export function describeChoice(c: OrtChoice): string {
  const threads = `, ${c.threads} thread${c.threads === 1 ? '' : 's'}`;
  return `${c.backend}${c.simd ? ', SIMD' : ''}${threads}${c.notes.length ? ` (${c.notes.join('; ')})` : ''}`;
}

/**
 * WASM threads: 1 unless cross-origin isolated (no SharedArrayBuffer); otherwise `requested` when given, else
 * half the cores (the page, camera and canvas keep the rest), at most 4. Returns the count and why.
 */
export function wasmThreads(rt: BrowserRuntime, requested?: number): { threads: number; note?: string } {
  if (!rt.isolated) return { threads: 1, note: 'wasm: not cross-origin isolated, 1 thread' };
  if (requested !== undefined) {
    const threads = Math.max(1, Math.floor(requested));
    return { threads, note: `wasm: ${threads} thread${threads === 1 ? '' : 's'} requested` };
  }
  const threads = Math.min(4, Math.max(1, Math.ceil(rt.cores / 2)));
  return threads === 1 ? { threads, note: `wasm: ${rt.cores} core(s), one left for the page` } : { threads };
}

/** The fallback chain, in order: what `preference` allows and this runtime supports. */
export function backendChain(preference: BackendPreference, rt: BrowserRuntime): Backend[] {
  if (preference === 'wasm') return ['wasm'];
  if (preference === 'webgpu') return rt.webgpu ? ['webgpu', 'wasm'] : ['wasm'];
  return rt.webgpu ? ['webgpu', 'wasm'] : ['wasm'];
}

const blobUrl = (bytes: ArrayBuffer): string =>
  URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' }));

/** Imports one onnxruntime-web build from cached bytes (blob URLs), so it loads with the network gone. */
async function importOrt(assets: EngineAssets, index: OrtIndex, backend: Backend, threads: number) {
  const build = BUILDS[backend];
  const [entry, glue, wasm] = await Promise.all([
    assets.ortFile(index, build.entry),
    assets.ortFile(index, build.glue),
    assets.ortFile(index, build.wasm),
  ]);
  const ort = (await import(/* @vite-ignore */ blobUrl(entry))) as typeof Ort;
  ort.env.wasm.wasmPaths = { mjs: blobUrl(glue) };
  ort.env.wasm.wasmBinary = wasm;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false; // already in a worker
  ort.env.logLevel = 'error';
  return ort;
}

/** WebGPU outputs may live on the GPU; getData() downloads and releases them. */
const readOutput = async (t: Ort.Tensor): Promise<Float32Array> =>
  (t.location === 'cpu' ? t.data : await t.getData(true)) as Float32Array;

type WebSession = OrtModelSession<Ort.Tensor>;

export class WebSessionProvider implements SessionProvider {
  private readonly sessions = new SessionCache((modelId) => this.create(modelId));
  private constructor(
    private readonly ort: typeof Ort,
    private readonly assets: EngineAssets,
    readonly catalog: ModelCatalog,
    readonly choice: OrtChoice,
  ) {}

  /**
   * Walks the backend chain: a backend is chosen once its runtime loads and `start` (e.g. building the engine,
   * which opens the core models) succeeds on it; otherwise the next one is tried. WASM is last and its failure
   * is the error reported.
   */
  static async open<T>(opts: {
    assets: EngineAssets;
    catalog: ModelCatalog;
    runtime: BrowserRuntime;
    preference: BackendPreference;
    /** WASM threads wanted (used only when cross-origin isolated); absent = wasmThreads()'s default. */
    threads?: number;
    start: (sessions: WebSessionProvider) => Promise<T>;
  }): Promise<{ sessions: WebSessionProvider; value: T }> {
    const { assets, catalog, runtime } = opts;
    if (!runtime.simd) throw new NotReady('this browser lacks WebAssembly SIMD, which the engine needs');
    const index = await assets.ortIndex();
    const notes: string[] = [];
    if (opts.preference === 'wasm') notes.push('wasm requested');
    else if (!runtime.webgpu) notes.push('webgpu: no adapter');
    let last: unknown;
    for (const backend of backendChain(opts.preference, runtime)) {
      let sessions: WebSessionProvider | undefined;
      // WebGPU builds keep a WASM part for the kernels the GPU lacks: it gets the same threads.
      const { threads, note } = wasmThreads(runtime, opts.threads);
      try {
        const ort = await importOrt(assets, index, backend, threads);
        const choice: OrtChoice = {
          backend,
          threads,
          simd: runtime.simd,
          isolated: runtime.isolated,
          version: index.version,
          notes: note ? [...notes, note] : [...notes],
        };
        sessions = new WebSessionProvider(ort, assets, catalog, choice);
        const value = await opts.start(sessions);
        // onnxruntime-web lowers numThreads to 1 at its first session when threads cannot work: report what ran.
        const ran = ort.env.wasm.numThreads ?? threads;
        if (ran !== threads) {
          choice.threads = ran;
          choice.notes.push(`wasm: onnxruntime-web ran ${ran} thread(s), not ${threads}`);
        }
        return { sessions, value };
      } catch (e) {
        last = e;
        notes.push(`${backend}: ${(e as Error).message}`);
        await sessions?.dispose();
      }
    }
    throw new NotReady(
      `onnxruntime-web could not start: ${(last as Error | undefined)?.message ?? 'no backend'}`,
    );
  }

  load(modelId: string): Promise<ModelSession> {
    return this.sessions.load(modelId);
  }

  private async create(modelId: string): Promise<WebSession> {
    const entry = this.catalog.models[modelId] as
      (ModelCatalog['models'][string] & { sha256?: string }) | undefined;
    if (!entry) throw new NotReady(`model ${modelId} is not in the manifest`);
    const bytes = await this.assets.model(entry);
    const open = () =>
      this.ort.InferenceSession.create(new Uint8Array(bytes), {
        executionProviders: this.choice.backend === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'],
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
      });
    // The WebGPU EP refuses a session while another is being created ("another WebGPU EP inference session
    // is being created"), and the engine opens its models together: on WebGPU they open one at a time.
    const session = await (this.choice.backend === 'webgpu' ? this.oneAtATime(open) : open());
    return new OrtModelSession(session, this.ort.Tensor, readOutput);
  }

  private opening: Promise<unknown> = Promise.resolve();
  private oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.opening.then(fn, fn);
    this.opening = next.catch(() => undefined);
    return next;
  }

  dispose(): Promise<void> {
    return this.sessions.dispose();
  }
}
