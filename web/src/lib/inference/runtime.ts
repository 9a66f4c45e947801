// The one place that knows what the browser runtime offers: worker or page, cross-origin isolation (threads),
// WebAssembly SIMD, WebGPU with a usable adapter, and the core count. Everyone else asks `detectRuntime()`.

export interface BrowserRuntime {
  /** Running inside a dedicated/shared worker rather than a page. */
  worker: boolean;
  /** `crossOriginIsolated`: SharedArrayBuffer exists, so onnxruntime-web may use threads. */
  isolated: boolean;
  /** WebAssembly fixed-width SIMD validates (onnxruntime-web 1.30 requires it). */
  simd: boolean;
  /** `navigator.gpu` exists and returned an adapter. */
  webgpu: boolean;
  cores: number;
}

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)): the probe wasm-feature-detect uses.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98,
  11,
]);

let detected: Promise<BrowserRuntime> | undefined;

async function probeWebGpu(): Promise<boolean> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) != null;
  } catch {
    return false;
  }
}

/** Detects the runtime once per realm; later calls share the answer. */
export function detectRuntime(): Promise<BrowserRuntime> {
  detected ??= (async () => ({
    worker: typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined',
    isolated: globalThis.crossOriginIsolated === true,
    simd: typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE),
    webgpu: await probeWebGpu(),
    cores: globalThis.navigator?.hardwareConcurrency ?? 1,
  }))();
  return detected;
}
