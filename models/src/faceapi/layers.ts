// The tfjs layers face-api's nets are made of, emitted as NCHW ONNX nodes with TF's 'same'/'valid' padding made explicit.
import type { GraphBuilder } from '../onnx/graph-builder.js';
import type { Weight, WeightMap } from './weights.js';

/** A feature map flowing through the graph: its tensor name and its static NCHW size (batch is dynamic). */
export interface Fmap {
  name: string;
  c: number;
  h: number;
  w: number;
}

export type Padding = 'same' | 'valid';

/** TF's output size and [before, after] padding for one spatial axis. */
export function tfPadding(
  size: number,
  k: number,
  s: number,
  padding: Padding,
): { out: number; pads: [number, number] } {
  if (padding === 'valid') return { out: Math.floor((size - k) / s) + 1, pads: [0, 0] };
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + k - size, 0);
  return { out, pads: [Math.floor(total / 2), total - Math.floor(total / 2)] };
}

/** HWIO (tfjs conv2d filter) → OIHW (ONNX Conv weight). */
function hwioToOihw(w: Weight): { dims: number[]; data: Float32Array } {
  const [kh, kw, ci, co] = w.shape;
  const out = new Float32Array(w.data.length);
  for (let h = 0; h < kh; h++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++)
          out[((o * ci + i) * kh + h) * kw + x] = w.data[((h * kw + x) * ci + i) * co + o];
  return { dims: [co, ci, kh, kw], data: out };
}

/** HWCM (tfjs depthwise filter) → [C*M, 1, H, W] for a grouped ONNX Conv. */
function hwcmToGrouped(w: Weight): { dims: number[]; data: Float32Array } {
  const [kh, kw, c, m] = w.shape;
  const out = new Float32Array(w.data.length);
  for (let h = 0; h < kh; h++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < c; i++)
        for (let j = 0; j < m; j++)
          out[((i * m + j) * kh + h) * kw + x] = w.data[((h * kw + x) * c + i) * m + j];
  return { dims: [c * m, 1, kh, kw], data: out };
}

export class NetBuilder {
  constructor(
    readonly g: GraphBuilder,
    readonly weights: WeightMap,
  ) {}

  /** Declares the NHWC RGB input, transposes it to NCHW and applies `(x - mean) / std` (or `x * mul + add`) as face-api does. */
  imageInput(name: string, size: number, norm: { mean?: number[]; div?: number; sub?: number }): Fmap {
    const { g } = this;
    const x = g.input(name, ['batch', size, size, 3]);
    let out = g.op('Transpose', [x], { perm: [0, 3, 1, 2] }, 'input/nchw');
    if (norm.mean)
      out = g.op('Sub', [out, g.constFloat('input/mean', [1, 3, 1, 1], norm.mean)], {}, 'input/sub_mean');
    if (norm.div !== undefined)
      out = g.op('Div', [out, g.constFloat('input/divisor', [], [norm.div])], {}, 'input/div');
    if (norm.sub !== undefined)
      out = g.op('Sub', [out, g.constFloat('input/offset', [], [norm.sub])], {}, 'input/sub');
    return { name: out, c: 3, h: size, w: size };
  }

  private bias(name: string | undefined): string[] {
    return name
      ? [this.g.constFloat(name, [this.weights.get(name, 1).shape[0]], this.weights.get(name, 1).data)]
      : [];
  }

  /** tf.conv2d (+ bias when `biasName` is given). */
  conv(
    x: Fmap,
    filterName: string,
    biasName: string | undefined,
    stride: number,
    padding: Padding,
    node = filterName,
  ): Fmap {
    const f = this.weights.get(filterName, 4);
    const [kh, kw, ci, co] = f.shape;
    if (ci !== x.c) throw new Error(`${node}: filter expects ${ci} channels, input has ${x.c}`);
    const ph = tfPadding(x.h, kh, stride, padding);
    const pw = tfPadding(x.w, kw, stride, padding);
    const { dims, data } = hwioToOihw(f);
    const name = this.g.op(
      'Conv',
      [x.name, this.g.constFloat(filterName, dims, data), ...this.bias(biasName)],
      {
        kernel_shape: [kh, kw],
        strides: [stride, stride],
        pads: [ph.pads[0], pw.pads[0], ph.pads[1], pw.pads[1]],
      },
      node,
    );
    return { name, c: co, h: ph.out, w: pw.out };
  }

  /** tf.depthwiseConv2d with 'same' padding, no bias. */
  depthwise(x: Fmap, filterName: string, stride: number, node = filterName): Fmap {
    const f = this.weights.get(filterName, 4);
    const [kh, kw, c, m] = f.shape;
    if (c !== x.c) throw new Error(`${node}: depthwise filter expects ${c} channels, input has ${x.c}`);
    const ph = tfPadding(x.h, kh, stride, 'same');
    const pw = tfPadding(x.w, kw, stride, 'same');
    const { dims, data } = hwcmToGrouped(f);
    const name = this.g.op(
      'Conv',
      [x.name, this.g.constFloat(filterName, dims, data)],
      {
        kernel_shape: [kh, kw],
        strides: [stride, stride],
        pads: [ph.pads[0], pw.pads[0], ph.pads[1], pw.pads[1]],
        group: c,
      },
      node,
    );
    return { name, c: c * m, h: ph.out, w: pw.out };
  }

  /** face-api's depthwiseSeparableConv: tf.separableConv2d('same') + bias, weights under `prefix`. */
  separable(x: Fmap, prefix: string, stride: number): Fmap {
    const dw = this.depthwise(x, `${prefix}/depthwise_filter`, stride, `${prefix}/depthwise`);
    return this.conv(dw, `${prefix}/pointwise_filter`, `${prefix}/bias`, 1, 'valid', `${prefix}/pointwise`);
  }

  /** Per-channel `x * weights + biases` (the recognition net's scale layer). */
  scale(x: Fmap, weightsName: string, biasesName: string): Fmap {
    const w = this.weights.get(weightsName, 1);
    const b = this.weights.get(biasesName, 1);
    const mul = this.g.op(
      'Mul',
      [x.name, this.g.constFloat(weightsName, [x.c, 1, 1], w.data)],
      {},
      `${weightsName}/mul`,
    );
    return {
      ...x,
      name: this.g.op(
        'Add',
        [mul, this.g.constFloat(biasesName, [x.c, 1, 1], b.data)],
        {},
        `${biasesName}/add`,
      ),
    };
  }

  relu(x: Fmap): Fmap {
    return { ...x, name: this.g.op('Relu', [x.name]) };
  }

  /** tf.clipByValue(x, lo, hi). */
  clip(x: Fmap, lo: number, hi: number): Fmap {
    return {
      ...x,
      name: this.g.op('Clip', [
        x.name,
        this.g.constFloat('clip/min', [], [lo]),
        this.g.constFloat('clip/max', [], [hi]),
      ]),
    };
  }

  add(a: Fmap, b: Fmap): Fmap {
    if (a.c !== b.c || a.h !== b.h || a.w !== b.w)
      throw new Error(`add: shapes ${a.c}x${a.h}x${a.w} and ${b.c}x${b.h}x${b.w} differ`);
    return { ...a, name: this.g.op('Add', [a.name, b.name]) };
  }

  pool(op: 'MaxPool' | 'AveragePool', x: Fmap, k: number, s: number, padding: Padding): Fmap {
    const ph = tfPadding(x.h, k, s, padding);
    const pw = tfPadding(x.w, k, s, padding);
    const name = this.g.op(op, [x.name], {
      kernel_shape: [k, k],
      strides: [s, s],
      pads: [ph.pads[0], pw.pads[0], ph.pads[1], pw.pads[1]],
    });
    return { name, c: x.c, h: ph.out, w: pw.out };
  }

  /** Zero-pads channels at the end and rows/columns at the bottom/right (face-api's concat-with-zeros). */
  padZeros(x: Fmap, c: number, h: number, w: number): Fmap {
    const pads = this.g.constInt64('pad/pads', [0, 0, 0, 0, 0, c - x.c, h - x.h, w - x.w]);
    return { name: this.g.op('Pad', [x.name, pads]), c, h, w };
  }

  /** Flattens a 1x1 feature map to [batch, c]: NHWC and NCHW orders agree only then, so anything else is refused. */
  flatten(x: Fmap): string {
    if (x.h !== 1 || x.w !== 1) throw new Error(`flatten: expected a 1x1 map, got ${x.h}x${x.w}`);
    return this.g.op('Flatten', [x.name], { axis: 1 });
  }

  /** face-api's fullyConnectedLayer: matMul(x, weights [in, out]) + bias. */
  fc(x: string, weightsName: string, biasName?: string): string {
    const w = this.weights.get(weightsName, 2);
    const mm = this.g.op(
      'MatMul',
      [x, this.g.constFloat(weightsName, w.shape, w.data)],
      {},
      `${weightsName}/matmul`,
    );
    return biasName ? this.g.op('Add', [mm, ...this.bias(biasName)], {}, `${biasName}/add`) : mm;
  }
}
