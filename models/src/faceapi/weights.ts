// Reads a face-api TFJS weight manifest and its .bin shards into float32 tensors, dequantizing uint8/uint16/float16 as tfjs does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { halfToFloat } from '../tfjs/graph-model.js';

export interface Weight {
  shape: number[];
  data: Float32Array;
}

interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

interface ManifestGroup {
  paths: string[];
  weights: ManifestWeight[];
}

/** Looks weights up by name and fails loudly when one is missing or has an unexpected rank. */
export class WeightMap {
  constructor(
    readonly model: string,
    private readonly map: Map<string, Weight>,
  ) {}

  get(name: string, rank?: number): Weight {
    const w = this.map.get(name);
    if (!w) throw new Error(`${this.model}: weight ${name} not in the manifest`);
    if (rank !== undefined && w.shape.length !== rank)
      throw new Error(`${this.model}: weight ${name} has shape [${w.shape}], expected rank ${rank}`);
    return w;
  }

  names(): string[] {
    return [...this.map.keys()];
  }
}

function decode(w: ManifestWeight, bytes: Uint8Array): Float32Array {
  const n = w.shape.reduce((a, b) => a * b, 1);
  const q = w.quantization;
  const out = new Float32Array(n);
  if (!q) {
    if (w.dtype === 'int32') {
      const ints = new Int32Array(bytes.slice(0, n * 4).buffer);
      out.set(ints);
    } else {
      out.set(new Float32Array(bytes.slice(0, n * 4).buffer));
    }
    return out;
  }
  const quantized =
    q.dtype === 'uint8' ? bytes.subarray(0, n) : new Uint16Array(bytes.slice(0, n * 2).buffer);
  if (q.dtype === 'float16') {
    for (let i = 0; i < n; i++) out[i] = halfToFloat(quantized[i]);
    return out;
  }
  const scale = q.scale ?? 1;
  const min = q.min ?? 0;
  for (let i = 0; i < n; i++) {
    const v = quantized[i] * scale + min;
    out[i] = w.dtype === 'int32' ? Math.round(v) : v;
  }
  return out;
}

function byteSize(w: ManifestWeight): number {
  const n = w.shape.reduce((a, b) => a * b, 1);
  const q = w.quantization?.dtype;
  return n * (q === 'uint8' ? 1 : q ? 2 : 4);
}

/** Loads `<dir>/<name>-weights_manifest.json` and the shards it names. */
export function loadWeights(dir: string, name: string): WeightMap {
  const groups = JSON.parse(
    readFileSync(join(dir, `${name}-weights_manifest.json`), 'utf8'),
  ) as ManifestGroup[];
  const map = new Map<string, Weight>();
  for (const group of groups) {
    const buffer = Buffer.concat(group.paths.map((p) => readFileSync(join(dir, p))));
    let offset = 0;
    for (const w of group.weights) {
      const size = byteSize(w);
      if (offset + size > buffer.length)
        throw new Error(`${name}: weight ${w.name} runs past the end of its shards`);
      map.set(w.name, {
        shape: w.shape,
        data: decode(w, new Uint8Array(buffer.subarray(offset, offset + size))),
      });
      offset += size;
    }
  }
  return new WeightMap(name, map);
}
