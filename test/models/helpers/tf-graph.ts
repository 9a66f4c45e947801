// Builds small TFJS graph models in memory (one op under test, constants, one placeholder) for op-level parity tests.
import * as tf from '@tensorflow/tfjs';
import { parseGraphModel, type TfAttr, type TfGraph } from '../../../models/src/tfjs/graph-model.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** TFJS JSON attribute encoders. */
export const a = {
  s: (v: string): TfAttr => ({ s: b64(v) }),
  i: (v: number): TfAttr => ({ i: String(v) }),
  f: (v: number): TfAttr => ({ f: v }),
  b: (v: boolean): TfAttr => ({ b: v }),
  ints: (v: number[]): TfAttr => ({ list: { i: v.map(String) } }),
  strs: (v: string[]): TfAttr => ({ list: { s: v.map(b64) } }),
};

interface JsonNode {
  name: string;
  op: string;
  input: string[];
  attr: Record<string, TfAttr>;
}

/** Deterministic pseudo-random values in [-1, 1). */
export function pseudoRandom(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export class GraphFixture {
  private nodes: JsonNode[] = [];
  private weights: {
    name: string;
    shape: number[];
    dtype: 'float32' | 'int32';
    data: Float32Array | Int32Array;
  }[] = [];

  placeholder(name: string, shape: number[]): string {
    const dim = shape.map((d) => ({ size: String(d) }));
    this.nodes.push({
      name,
      op: 'Placeholder',
      input: [],
      attr: { shape: { shape: { dim } }, dtype: { type: 'DT_FLOAT' } },
    });
    return name;
  }

  floats(name: string, shape: number[], values?: ArrayLike<number>): string {
    const n = shape.reduce((x, y) => x * y, 1);
    return this.constant(
      name,
      shape,
      'float32',
      Float32Array.from(values ?? pseudoRandom(n, this.weights.length + 7)),
    );
  }

  ints(name: string, shape: number[], values: number[]): string {
    return this.constant(name, shape, 'int32', Int32Array.from(values));
  }

  private constant(
    name: string,
    shape: number[],
    dtype: 'float32' | 'int32',
    data: Float32Array | Int32Array,
  ): string {
    const t = dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32';
    const tensorShape = { dim: shape.map((d) => ({ size: String(d) })) };
    this.nodes.push({
      name,
      op: 'Const',
      input: [],
      attr: { dtype: { type: t }, value: { tensor: { dtype: t, tensorShape } } },
    });
    this.weights.push({ name, shape, dtype, data });
    return name;
  }

  op(name: string, op: string, input: string[], attr: Record<string, TfAttr> = {}): string {
    this.nodes.push({ name, op, input, attr: { T: { type: 'DT_FLOAT' }, ...attr } });
    return name;
  }

  private bin(): Uint8Array {
    return new Uint8Array(
      Buffer.concat(
        this.weights.map((w) => Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength)),
      ),
    );
  }

  private manifest() {
    return this.weights.map(({ name, shape, dtype }) => ({ name, shape, dtype }));
  }

  /** The graph as the converter reads it. */
  toTfGraph(): TfGraph {
    return parseGraphModel(
      {
        modelTopology: { node: this.nodes },
        weightsManifest: [{ paths: ['w.bin'], weights: this.manifest() }],
      },
      () => this.bin(),
    );
  }

  /** The graph loaded in tfjs. */
  async toTfjs(): Promise<tf.GraphModel> {
    const bin = this.bin();
    return tf.loadGraphModel(
      tf.io.fromMemory({
        modelTopology: { node: this.nodes, versions: { producer: 1 } },
        weightSpecs: this.manifest(),
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      }),
    );
  }
}
