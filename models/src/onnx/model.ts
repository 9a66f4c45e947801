// ONNX model data types and their serialisation to ModelProto bytes (field numbers from onnx.proto).
import { ProtoWriter } from './protobuf.js';

export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;
export type DataTypeId = (typeof DataType)[keyof typeof DataType];

export type AttrValue =
  number | string | number[] | { ints: number[] } | { floats: number[] } | { float: number } | OnnxTensor;

export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: DataTypeId;
  /** Little-endian raw bytes of the tensor. */
  raw: Uint8Array;
}

export interface OnnxNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
  domain?: string;
}

export interface OnnxValueInfo {
  name: string;
  dataType: DataTypeId;
  /** A number is a fixed size, a string a symbolic dimension, -1 an unnamed dynamic one. */
  shape: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModelOptions {
  opset: number;
  producer: string;
  docString?: string;
  metadata?: Record<string, string>;
}

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, t.raw);
}

function writeAttr(w: ProtoWriter, name: string, v: AttrValue): void {
  w.string(1, name);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: use {float} for non-integers`);
    w.int(3, v).int(20, 2);
  } else if (typeof v === 'string') {
    w.string(4, v).int(20, 3);
  } else if (Array.isArray(v) || 'ints' in v) {
    const ints = Array.isArray(v) ? v : v.ints;
    for (const i of ints) w.int(8, i);
    w.int(20, 7);
  } else if ('floats' in v) {
    for (const f of v.floats) w.float(7, f);
    w.int(20, 6);
  } else if ('float' in v) {
    w.float(2, v.float).int(20, 1);
  } else {
    w.message(5, (m) => writeTensor(m, v));
    w.int(20, 4);
  }
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.dataType);
      tensor.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => {
            if (typeof d === 'string') dim.string(2, d);
            else if (d >= 0) dim.int(1, d);
          });
        }
      });
    }),
  );
}

/** Serialises a graph to the bytes of an ONNX ModelProto. Same graph in, same bytes out. */
export function encodeModel(graph: OnnxGraph, opts: OnnxModelOptions): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8); // ir_version 8 (ONNX 1.10+), understood by every current onnxruntime
  w.string(2, opts.producer);
  if (opts.docString) w.string(6, opts.docString);
  w.message(7, (g) => {
    for (const n of graph.nodes) {
      g.message(1, (m) => {
        for (const i of n.inputs) m.string(1, i);
        for (const o of n.outputs) m.string(2, o);
        m.string(3, n.name);
        m.string(4, n.opType);
        for (const [k, v] of Object.entries(n.attrs)) m.message(5, (a) => writeAttr(a, k, v));
        if (n.domain) m.string(7, n.domain);
      });
    }
    g.string(2, graph.name);
    for (const t of graph.initializers) g.message(5, (m) => writeTensor(m, t));
    for (const i of graph.inputs) g.message(11, (m) => writeValueInfo(m, i));
    for (const o of graph.outputs) g.message(12, (m) => writeValueInfo(m, o));
  });
  w.message(8, (o) => o.string(1, '').int(2, opts.opset));
  for (const [k, v] of Object.entries(opts.metadata ?? {})) w.message(14, (m) => m.string(1, k).string(2, v));
  return w.finish();
}
