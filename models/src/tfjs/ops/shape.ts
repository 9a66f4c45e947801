// Shape manipulation: Reshape, Squeeze, ExpandDims, Shape, StridedSlice, Pack, ConcatV2, Pad.
// TF int32 shape tensors become ONNX int64 throughout.
import { attrInt, attrInts } from '../graph-model.js';
import { UnsupportedTfOp, type ConvertContext, type OpHandler } from '../context.js';
import type { TfNode } from '../graph-model.js';

const BIG = Number.MAX_SAFE_INTEGER;

function ints(ctx: ConvertContext, node: TfNode, i: number, what: string): number[] {
  return Array.from(ctx.requireConst(node, i, what).data);
}

const reshape: OpHandler = (ctx, node) => {
  const name = ctx.nameOf(node);
  const c = ctx.constInput(node, 1);
  const shape = c ? ctx.g.constInt64(`${name}/shape`, Array.from(c.data)) : ctx.input(node, 1);
  return [ctx.g.op('Reshape', [ctx.input(node, 0), shape], {}, name)];
};

const squeeze: OpHandler = (ctx, node) => {
  const name = ctx.nameOf(node);
  const axes = attrInts(node, 'squeeze_dims');
  const inputs = [ctx.input(node, 0)];
  if (axes.length) inputs.push(ctx.g.constInt64(`${name}/axes`, axes));
  return [ctx.g.op('Squeeze', inputs, {}, name)];
};

const expandDims: OpHandler = (ctx, node) => {
  const name = ctx.nameOf(node);
  const axes = ctx.g.constInt64(`${name}/axes`, ints(ctx, node, 1, 'axis'));
  return [ctx.g.op('Unsqueeze', [ctx.input(node, 0), axes], {}, name)];
};

/**
 * StridedSlice with constant begin/end/strides → Slice, then Squeeze for shrink_axis_mask and Unsqueeze for new_axis_mask.
 * ellipsis_mask needs the input rank, which this converter does not track: it is rejected.
 */
const stridedSlice: OpHandler = (ctx, node) => {
  const g = ctx.g;
  const name = ctx.nameOf(node);
  const begin = ints(ctx, node, 1, 'begin');
  const end = ints(ctx, node, 2, 'end');
  const strides = ints(ctx, node, 3, 'strides');
  const [beginMask, endMask, ellipsisMask, newAxisMask, shrinkMask] = [
    'begin_mask',
    'end_mask',
    'ellipsis_mask',
    'new_axis_mask',
    'shrink_axis_mask',
  ].map((k) => attrInt(node, k));
  if (ellipsisMask)
    throw new UnsupportedTfOp(`node ${node.name}: StridedSlice ellipsis_mask is not supported`);
  const starts: number[] = [];
  const ends: number[] = [];
  const axes: number[] = [];
  const steps: number[] = [];
  const squeezeAxes: number[] = [];
  const newAxes: number[] = [];
  let inAxis = 0;
  let outAxis = 0;
  for (let i = 0; i < begin.length; i++) {
    const bit = 1 << i;
    if (newAxisMask & bit) {
      newAxes.push(outAxis++);
      continue;
    }
    const step = strides[i] ?? 1;
    if (shrinkMask & bit) {
      starts.push(begin[i]);
      ends.push(begin[i] === -1 ? BIG : begin[i] + 1);
      steps.push(1);
      axes.push(inAxis);
      squeezeAxes.push(inAxis++);
      continue;
    }
    const s = beginMask & bit ? (step > 0 ? 0 : BIG) : begin[i];
    const e = endMask & bit ? (step > 0 ? BIG : -BIG) : end[i];
    if (!(beginMask & bit && endMask & bit && step === 1)) {
      starts.push(s);
      ends.push(e);
      steps.push(step);
      axes.push(inAxis);
    }
    inAxis++;
    outAxis++;
  }
  let y = ctx.input(node, 0);
  if (axes.length) {
    const k = (s: string, v: number[]): string => g.constInt64(`${name}/${s}`, v);
    y = g.op(
      'Slice',
      [y, k('starts', starts), k('ends', ends), k('axes', axes), k('steps', steps)],
      {},
      `${name}/slice`,
    );
  }
  if (squeezeAxes.length)
    y = g.op('Squeeze', [y, g.constInt64(`${name}/squeeze_axes`, squeezeAxes)], {}, `${name}/squeeze`);
  if (newAxes.length)
    y = g.op('Unsqueeze', [y, g.constInt64(`${name}/new_axes`, newAxes)], {}, `${name}/unsqueeze`);
  if (y === ctx.input(node, 0)) y = g.op('Identity', [y], {}, name);
  return [y];
};

const pack: OpHandler = (ctx, node) => {
  const g = ctx.g;
  const name = ctx.nameOf(node);
  const axis = attrInt(node, 'axis');
  const axes = g.constInt64(`${name}/axis`, [axis]);
  const parts = node.inputs.map((_, i) =>
    g.op('Unsqueeze', [ctx.input(node, i), axes], {}, `${name}/unsqueeze_${i}`),
  );
  return [g.op('Concat', parts, { axis }, name)];
};

const concat: OpHandler = (ctx, node) => {
  const n = node.inputs.length - 1;
  const [axis] = ints(ctx, node, n, 'axis');
  const parts = node.inputs.slice(0, n).map((_, i) => ctx.input(node, i));
  return [ctx.g.op('Concat', parts, { axis }, ctx.nameOf(node))];
};

const pad: OpHandler = (ctx, node) => {
  const name = ctx.nameOf(node);
  const p = ints(ctx, node, 1, 'paddings');
  const rank = p.length / 2;
  const pads = [
    ...Array.from({ length: rank }, (_, i) => p[2 * i]),
    ...Array.from({ length: rank }, (_, i) => p[2 * i + 1]),
  ];
  const inputs = [ctx.input(node, 0), ctx.g.constInt64(`${name}/pads`, pads)];
  if (node.op === 'PadV2') inputs.push(ctx.input(node, 2));
  return [ctx.g.op('Pad', inputs, { mode: 'constant' }, name)];
};

export const shapeOps: Record<string, OpHandler> = {
  Reshape: reshape,
  Squeeze: squeeze,
  ExpandDims: expandDims,
  Shape: (ctx, node) => [ctx.g.op('Shape', [ctx.input(node, 0)], {}, ctx.nameOf(node))],
  StridedSlice: stridedSlice,
  Pack: pack,
  ConcatV2: concat,
  Pad: pad,
  PadV2: pad,
};
