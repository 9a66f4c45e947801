// Reads a TFJS graph model (model.json + .bin shards) into plain nodes and dequantized float32/int32 constants.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface TfAttr {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  list?: { i?: (string | number)[]; s?: string[]; f?: number[] };
  shape?: { dim?: { size: string | number }[]; unknownRank?: boolean };
  tensor?: unknown;
}

export interface TfNode {
  name: string;
  op: string;
  /** Data inputs as `node` or `node:index` (control inputs `^x` are dropped). */
  inputs: string[];
  attr: Record<string, TfAttr>;
}

/** A constant tensor, always float32 or int32 after dequantization. */
export interface TfConst {
  dims: number[];
  data: Float32Array | Int32Array;
}

export interface TfGraph {
  nodes: Map<string, TfNode>;
  consts: Map<string, TfConst>;
  /** Outputs named by the model's signature, in signature order (may be empty). */
  signatureOutputs: string[];
}

interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; min?: number; scale?: number };
}

interface ModelJson {
  modelTopology: { node: { name: string; op: string; input?: string[]; attr?: Record<string, TfAttr> }[] };
  weightsManifest: { paths: string[]; weights: WeightEntry[] }[];
  signature?: { outputs?: Record<string, { name: string }> };
}

let halfTable: Float32Array | undefined;

/**
 * IEEE 754 half → float, looked up in a table of all 65,536 halves built once (every half is exact in float32): the
 * converters decode millions of weights, and the arithmetic per weight cost a second per big model.
 */
export function halfToFloat(h: number): number {
  if (!halfTable) {
    halfTable = new Float32Array(0x10000);
    for (let i = 0; i < 0x10000; i++) halfTable[i] = computeHalf(i);
  }
  return halfTable[h & 0xffff];
}

function computeHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function decodeWeight(w: WeightEntry, bytes: Uint8Array, offset: number): { value: TfConst; size: number } {
  const count = w.shape.reduce((a, b) => a * b, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
  const q = w.quantization;
  const out = w.dtype === 'int32' ? new Int32Array(count) : new Float32Array(count);
  if (!q) {
    for (let i = 0; i < count; i++)
      out[i] = w.dtype === 'int32' ? view.getInt32(i * 4, true) : view.getFloat32(i * 4, true);
    return { value: { dims: w.shape, data: out }, size: count * 4 };
  }
  if (q.dtype === 'float16') {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
    return { value: { dims: w.shape, data: out }, size: count * 2 };
  }
  if (q.dtype === 'uint8' || q.dtype === 'uint16') {
    const wide = q.dtype === 'uint16';
    for (let i = 0; i < count; i++)
      out[i] = (q.min ?? 0) + (q.scale ?? 1) * (wide ? view.getUint16(i * 2, true) : view.getUint8(i));
    return { value: { dims: w.shape, data: out }, size: count * (wide ? 2 : 1) };
  }
  throw new Error(`weight ${w.name}: unsupported quantization ${q.dtype}`);
}

/** Parses a graph model from its JSON text and the concatenated weight bytes. */
export function parseGraphModel(json: ModelJson, weightBytes: (paths: string[]) => Uint8Array): TfGraph {
  const nodes = new Map<string, TfNode>();
  for (const n of json.modelTopology.node) {
    const inputs = (n.input ?? []).filter((i) => !i.startsWith('^'));
    nodes.set(n.name, { name: n.name, op: n.op, inputs, attr: n.attr ?? {} });
  }
  const consts = new Map<string, TfConst>();
  for (const group of json.weightsManifest) {
    const bytes = weightBytes(group.paths);
    let offset = 0;
    for (const w of group.weights) {
      const { value, size } = decodeWeight(w, bytes, offset);
      consts.set(w.name, value);
      offset += size;
    }
  }
  const signatureOutputs = Object.values(json.signature?.outputs ?? {}).map((o) => o.name.replace(/:0$/, ''));
  return { nodes, consts, signatureOutputs };
}

/** Loads `<file>.json` and its weight shards from disk. */
export function loadGraphModel(jsonPath: string): TfGraph {
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as ModelJson;
  const dir = dirname(jsonPath);
  return parseGraphModel(json, (paths) => {
    const parts = paths.map((p) => readFileSync(join(dir, p)));
    return new Uint8Array(Buffer.concat(parts));
  });
}

// Attribute readers: TFJS JSON stores strings base64-encoded and int64s as strings.
export function attrString(node: TfNode, key: string, fallback = ''): string {
  const s = node.attr[key]?.s;
  return s === undefined ? fallback : Buffer.from(s, 'base64').toString('utf8');
}

export function attrInt(node: TfNode, key: string, fallback = 0): number {
  const i = node.attr[key]?.i;
  return i === undefined ? fallback : Number(i);
}

export function attrFloat(node: TfNode, key: string, fallback = 0): number {
  return node.attr[key]?.f ?? fallback;
}

export function attrBool(node: TfNode, key: string, fallback = false): boolean {
  return node.attr[key]?.b ?? fallback;
}

export function attrInts(node: TfNode, key: string): number[] {
  return (node.attr[key]?.list?.i ?? []).map(Number);
}

export function attrStrings(node: TfNode, key: string): string[] {
  return (node.attr[key]?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}
