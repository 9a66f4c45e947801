// The backend chain's pure rules (web/src/lib/inference/ort.ts), without a browser: which backends are tried in
// which order, how many WASM threads, and the line the kiosk shows. backend.test.ts runs them in Chromium.
import { describe, expect, it } from 'vitest';
import { backendChain, describeChoice, wasmThreads } from '../../web/src/lib/inference/ort.js';
import type { BrowserRuntime } from '../../web/src/lib/inference/runtime.js';

const rt = (over: Partial<BrowserRuntime> = {}): BrowserRuntime => ({
  worker: true,
  isolated: true,
  simd: true,
  webgpu: false,
  cores: 8,
  ...over,
});

describe('backend chain', () => {
  it('tries WebGPU first only when an adapter exists, and always ends on WASM', () => {
    expect(backendChain('auto', rt({ webgpu: true }))).toEqual(['webgpu', 'wasm']);
    expect(backendChain('auto', rt())).toEqual(['wasm']);
    expect(backendChain('webgpu', rt())).toEqual(['wasm']);
    expect(backendChain('wasm', rt({ webgpu: true }))).toEqual(['wasm']);
  });

  it('uses threads only when cross-origin isolated: half the cores, 1 to 4, or as asked', () => {
    expect(wasmThreads(rt({ cores: 1 }))).toEqual({
      threads: 1,
      note: 'wasm: 1 core(s), one left for the page',
    });
    expect(wasmThreads(rt({ cores: 2 })).threads).toBe(1);
    expect(wasmThreads(rt({ cores: 4 }))).toEqual({ threads: 2 });
    expect(wasmThreads(rt({ cores: 16 }))).toEqual({ threads: 4 });
    expect(wasmThreads(rt({ cores: 2 }), 2)).toEqual({ threads: 2, note: 'wasm: 2 threads requested' });
    expect(wasmThreads(rt({ isolated: false, cores: 16 }), 8)).toEqual({
      threads: 1,
      note: 'wasm: not cross-origin isolated, 1 thread',
    });
  });

  it('describes the choice in one line', () => {
    const base = { simd: true, isolated: true, version: '1.30.0' };
    expect(describeChoice({ ...base, backend: 'wasm', threads: 2, notes: ['webgpu: no adapter'] })).toBe(
      'wasm, SIMD, 2 threads (webgpu: no adapter)',
    );
    expect(describeChoice({ ...base, backend: 'webgpu', threads: 1, notes: [] })).toBe(
      'webgpu, SIMD, 1 thread',
    );
  });
});
