// Builds an ONNX graph node by node: unique names, typed constants, dead-node elimination, serialisation.
import {
  DataType,
  encodeModel,
  type AttrValue,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from './model.js';

export const OPSET = 13;

function bytesOf(a: Float32Array | Int32Array | BigInt64Array | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers = new Map<string, OnnxTensor>();
  readonly inputs: OnnxValueInfo[] = [];
  readonly outputs: OnnxValueInfo[] = [];
  private used = new Set<string>();

  constructor(readonly name: string) {}

  /** Returns `base`, or `base_2`, `base_3`… if taken; every tensor and node name goes through here. */
  unique(base: string): string {
    let name = base.replace(/:0$/, '');
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  input(
    name: string,
    shape: (number | string)[],
    dataType: OnnxValueInfo['dataType'] = DataType.FLOAT,
  ): string {
    this.used.add(name);
    this.inputs.push({ name, dataType, shape });
    return name;
  }

  /** Declares `tensor` a graph output under `name` (adds an Identity when the names differ). */
  output(
    tensor: string,
    name: string,
    shape: (number | string)[] = [],
    dataType: OnnxValueInfo['dataType'] = DataType.FLOAT,
  ): string {
    let out = tensor;
    if (tensor !== name) {
      this.used.add(name);
      this.nodes.push({
        name: `${name}/identity`,
        opType: 'Identity',
        inputs: [tensor],
        outputs: [name],
        attrs: {},
      });
      out = name;
    }
    this.outputs.push({ name: out, dataType, shape });
    return out;
  }

  constFloat(base: string, dims: number[], data: Float32Array | number[]): string {
    const arr = data instanceof Float32Array ? data : Float32Array.from(data);
    if (arr.length !== dims.reduce((a, b) => a * b, 1))
      throw new Error(`constant ${base}: ${arr.length} values for dims [${dims}]`);
    const name = this.unique(base);
    this.initializers.set(name, { name, dims, dataType: DataType.FLOAT, raw: bytesOf(arr) });
    return name;
  }

  constInt64(base: string, values: number[], dims: number[] = [values.length]): string {
    const name = this.unique(base);
    this.initializers.set(name, {
      name,
      dims,
      dataType: DataType.INT64,
      raw: bytesOf(BigInt64Array.from(values.map(BigInt))),
    });
    return name;
  }

  constInt32(base: string, values: Int32Array | number[], dims: number[] = [values.length]): string {
    const name = this.unique(base);
    const arr = values instanceof Int32Array ? values : Int32Array.from(values);
    this.initializers.set(name, { name, dims, dataType: DataType.INT32, raw: bytesOf(arr) });
    return name;
  }

  /** Adds a node; returns its output names (one is made per `nOutputs` when not given). */
  node(
    opType: string,
    inputs: string[],
    attrs: Record<string, AttrValue> = {},
    opts: { name?: string; outputs?: string[]; nOutputs?: number } = {},
  ): string[] {
    const name = this.unique(opts.name ?? opType);
    const outputs =
      opts.outputs ??
      Array.from({ length: opts.nOutputs ?? 1 }, (_, i) => (i === 0 ? name : this.unique(`${name}:${i}`)));
    for (const o of opts.outputs ?? []) this.used.add(o);
    this.nodes.push({ name, opType, inputs, outputs, attrs });
    return outputs;
  }

  /** Single-output convenience for `node`. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, name?: string): string {
    return this.node(opType, inputs, attrs, { name })[0];
  }

  /** Removes nodes and initializers that no graph output depends on (onnxruntime keeps them otherwise). */
  eliminateDead(): { removedNodes: number; removedInitializers: number } {
    const producer = new Map<string, OnnxNode>();
    for (const n of this.nodes) for (const o of n.outputs) producer.set(o, n);
    const live = new Set<OnnxNode>();
    const needed = new Set<string>();
    const stack = this.outputs.map((o) => o.name);
    while (stack.length) {
      const t = stack.pop()!;
      if (needed.has(t)) continue;
      needed.add(t);
      const p = producer.get(t);
      if (p && !live.has(p)) {
        live.add(p);
        for (const i of p.inputs) if (i) stack.push(i);
      }
    }
    const before = this.nodes.length;
    const kept = this.nodes.filter((n) => live.has(n));
    this.nodes.length = 0;
    this.nodes.push(...kept);
    let removedInitializers = 0;
    for (const k of [...this.initializers.keys()]) {
      if (!needed.has(k)) {
        this.initializers.delete(k);
        removedInitializers++;
      }
    }
    return { removedNodes: before - kept.length, removedInitializers };
  }

  toGraph(): OnnxGraph {
    return {
      name: this.name,
      nodes: this.nodes,
      initializers: [...this.initializers.values()],
      inputs: this.inputs,
      outputs: this.outputs,
    };
  }

  /** Eliminates dead nodes and serialises to ONNX bytes. */
  encode(metadata: Record<string, string> = {}): Uint8Array {
    this.eliminateDead();
    return encodeModel(this.toGraph(), { opset: OPSET, producer: 'visor-converter', metadata });
  }
}
