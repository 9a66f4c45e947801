// Convolutions and matrix products: Conv2D, depthwise, their fused variants, and _FusedMatMul.
// Filters are re-laid out at conversion time (HWIO → OIHW); the op runs in NCHW between two Transposes.
import {
  attrBool,
  attrFloat,
  attrInts,
  attrString,
  attrStrings,
  type TfConst,
  type TfNode,
} from '../graph-model.js';
import { UnsupportedTfOp, type ConvertContext, type OpHandler } from '../context.js';

interface Folded {
  weight: Float32Array;
  bias?: Float32Array;
}

/** HWIO (conv) or HW C M (depthwise) filter → ONNX [O, I/group, H, W]. */
function relayoutFilter(f: TfConst, depthwise: boolean): { dims: number[]; data: Float32Array } {
  const [h, w, a, b] = f.dims;
  const src = f.data;
  const out = new Float32Array(src.length);
  // conv: a = in, b = out → [b, a, h, w]; depthwise: a = channels, b = multiplier → [a*b, 1, h, w]
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let i = 0; i < a; i++)
        for (let o = 0; o < b; o++) {
          const v = src[((y * w + x) * a + i) * b + o];
          out[depthwise ? ((i * b + o) * h + y) * w + x : ((o * a + i) * h + y) * w + x] = v;
        }
  return { dims: depthwise ? [a * b, 1, h, w] : [b, a, h, w], data: out };
}

/**
 * Spatial attributes shared by Conv and pooling: strides/dilations from NHWC order, TF padding → ONNX.
 * TF SAME pads `total = (ceil(in/s) - 1) * s + (k - 1) * d + 1 - in`, the odd pixel at the end. With stride 1 that is
 * `(k - 1) * d` whatever the input size, so explicit pads are written; with larger strides it depends on the input
 * size and ONNX's SAME_UPPER computes it at run time (onnxruntime rejects SAME_UPPER with dilation, TF strides with it).
 */
export function spatialAttrs(
  node: TfNode,
  ctx: ConvertContext,
  kernel: number[],
  dilations = [1, 1],
): Record<string, number[] | string> {
  if (attrString(node, 'data_format', 'NHWC') !== 'NHWC')
    throw new UnsupportedTfOp(`node ${node.name}: only NHWC data_format is supported`);
  const s = attrInts(node, 'strides');
  const strides = s.length === 4 ? [s[1], s[2]] : [1, 1];
  const attrs: Record<string, number[] | string> = { strides };
  const padding = attrString(node, 'padding', 'VALID');
  if (padding === 'SAME') {
    if (strides[0] === 1 && strides[1] === 1) {
      const total = kernel.map((k, i) => (k - 1) * dilations[i]);
      attrs.pads = [
        Math.floor(total[0] / 2),
        Math.floor(total[1] / 2),
        Math.ceil(total[0] / 2),
        Math.ceil(total[1] / 2),
      ];
    } else if (dilations.some((d) => d !== 1)) {
      throw new UnsupportedTfOp(`node ${node.name}: SAME padding with both strides and dilations`);
    } else attrs.auto_pad = 'SAME_UPPER';
  } else if (padding === 'EXPLICIT') {
    const p = attrInts(node, 'explicit_paddings');
    attrs.pads = [p[2], p[4], p[3], p[5]];
  } else if (padding !== 'VALID')
    throw new UnsupportedTfOp(`node ${ctx.nameOf(node)}: unsupported padding ${padding}`);
  return attrs;
}

/** Folds a fused FusedBatchNorm (scale, offset, mean, variance) into the filter and bias. */
function foldBatchNorm(
  weight: Float32Array,
  outChannels: number,
  args: TfConst[],
  eps: number,
  bias?: Float32Array,
): Folded {
  const [scale, offset, mean, variance] = args.map((a) => a.data);
  const per = weight.length / outChannels;
  const w = new Float32Array(weight);
  const b = new Float32Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    const k = scale[o] / Math.sqrt(variance[o] + eps);
    for (let j = 0; j < per; j++) w[o * per + j] *= k;
    b[o] = ((bias?.[o] ?? 0) - mean[o]) * k + offset[o];
  }
  return { weight: w, bias: b };
}

/** Applies the fused activation (if any) to `x`, whose channel axis is `channelAxisShape`-shaped for PRelu. */
export function fusedActivation(
  ctx: ConvertContext,
  node: TfNode,
  x: string,
  ops: string[],
  alphaArg: TfConst | undefined,
  slopeDims: (n: number) => number[],
): string {
  const act = ops.find((o) => o !== 'BiasAdd' && o !== 'FusedBatchNorm');
  if (!act) return x;
  const g = ctx.g;
  const name = ctx.nameOf(node, act.toLowerCase());
  switch (act) {
    case 'Relu':
      return g.op('Relu', [x], {}, name);
    case 'Relu6':
      return g.op(
        'Clip',
        [x, g.constFloat(`${name}/min`, [], [0]), g.constFloat(`${name}/max`, [], [6])],
        {},
        name,
      );
    case 'Elu':
      return g.op('Elu', [x], {}, name);
    case 'Sigmoid':
      return g.op('Sigmoid', [x], {}, name);
    case 'Tanh':
      return g.op('Tanh', [x], {}, name);
    case 'LeakyRelu':
      return g.op('LeakyRelu', [x], { alpha: { float: attrFloat(node, 'leakyrelu_alpha', 0.2) } }, name);
    case 'Prelu': {
      if (!alphaArg) throw new UnsupportedTfOp(`node ${node.name}: Prelu alpha must be a constant`);
      const n = alphaArg.data.length;
      return g.op(
        'PRelu',
        [x, g.constFloat(`${name}/slope`, slopeDims(n), Float32Array.from(alphaArg.data))],
        {},
        name,
      );
    }
    default:
      throw new UnsupportedTfOp(`node ${node.name}: unsupported fused activation '${act}'`);
  }
}

function convLike(depthwise: boolean): OpHandler {
  return (ctx, node) => {
    const g = ctx.g;
    const filter = ctx.requireConst(node, 1, 'filter');
    const { dims, data } = relayoutFilter(filter, depthwise);
    const outChannels = dims[0];
    const ops = attrStrings(node, 'fused_ops');
    const args = node.inputs.slice(2).map((_, i) => ctx.requireConst(node, i + 2, `fused argument ${i}`));
    let folded: Folded = { weight: data };
    let next = 0;
    if (ops.includes('BiasAdd')) folded.bias = Float32Array.from(args[next++].data);
    if (ops.includes('FusedBatchNorm')) {
      folded = foldBatchNorm(
        folded.weight,
        outChannels,
        args.slice(next, next + 4),
        attrFloat(node, 'epsilon', 1e-3),
        folded.bias,
      );
      next += 4;
    }
    const d = attrInts(node, 'dilations');
    const dilations = d.length === 4 ? [d[1], d[2]] : [1, 1];
    const attrs: Record<string, number[] | string | number> = spatialAttrs(
      node,
      ctx,
      [dims[2], dims[3]],
      dilations,
    );
    attrs.dilations = dilations;
    attrs.kernel_shape = [dims[2], dims[3]];
    if (depthwise) attrs.group = filter.dims[2];
    const inputs = [
      ctx.toNchw(ctx.input(node, 0), node),
      g.constFloat(ctx.nameOf(node, 'weight'), dims, folded.weight),
    ];
    if (folded.bias) inputs.push(g.constFloat(ctx.nameOf(node, 'bias'), [outChannels], folded.bias));
    let y = g.op('Conv', inputs, attrs, ctx.nameOf(node));
    y = fusedActivation(ctx, node, y, ops, args[next], (n) => [n, 1, 1]);
    return [ctx.toNhwc(y, node)];
  };
}

function transpose2d(c: TfConst): TfConst {
  const [r, k] = c.dims;
  const out = new Float32Array(c.data.length);
  for (let i = 0; i < r; i++) for (let j = 0; j < k; j++) out[j * r + i] = c.data[i * k + j];
  return { dims: [k, r], data: out };
}

const matMul: OpHandler = (ctx, node) => {
  const g = ctx.g;
  let a = ctx.input(node, 0);
  if (attrBool(node, 'transpose_a'))
    a = g.op('Transpose', [a], { perm: [1, 0] }, ctx.nameOf(node, 'transpose_a'));
  const bConst = ctx.constInput(node, 1);
  let b: string;
  if (bConst) {
    const m = attrBool(node, 'transpose_b') ? transpose2d(bConst) : bConst;
    b = g.constFloat(ctx.nameOf(node, 'weight'), m.dims, Float32Array.from(m.data));
  } else {
    b = ctx.input(node, 1);
    if (attrBool(node, 'transpose_b'))
      b = g.op('Transpose', [b], { perm: [1, 0] }, ctx.nameOf(node, 'transpose_b'));
  }
  let y = g.op('MatMul', [a, b], {}, ctx.nameOf(node));
  const ops = attrStrings(node, 'fused_ops');
  let next = 2;
  if (ops.includes('BiasAdd')) y = g.op('Add', [y, ctx.input(node, next++)], {}, ctx.nameOf(node, 'bias'));
  return [fusedActivation(ctx, node, y, ops, ctx.constInput(node, next), (n) => [n])];
};

export const convOps: Record<string, OpHandler> = {
  Conv2D: convLike(false),
  _FusedConv2D: convLike(false),
  DepthwiseConv2dNative: convLike(true),
  FusedDepthwiseConv2dNative: convLike(true),
  MatMul: matMul,
  _FusedMatMul: matMul,
};
