// Layout-sensitive ops run in NCHW between Transposes: pooling, bilinear resize, depth-to-space.
import { attrBool, attrInt, attrInts } from '../graph-model.js';
import { UnsupportedTfOp, type OpHandler } from '../context.js';
import { spatialAttrs } from './conv.js';

function pool(onnxOp: string): OpHandler {
  return (ctx, node) => {
    const k = attrInts(node, 'ksize');
    if (k.length !== 4 || k[0] !== 1 || k[3] !== 1)
      throw new UnsupportedTfOp(`node ${node.name}: pooling over batch or channels`);
    const attrs = { ...spatialAttrs(node, ctx, [k[1], k[2]]), kernel_shape: [k[1], k[2]] };
    const y = ctx.g.op(onnxOp, [ctx.toNchw(ctx.input(node, 0), node)], attrs, ctx.nameOf(node));
    return [ctx.toNhwc(y, node)];
  };
}

const resizeBilinear: OpHandler = (ctx, node) => {
  const g = ctx.g;
  const size = Array.from(ctx.requireConst(node, 1, 'size').data);
  const name = ctx.nameOf(node);
  const x = ctx.toNchw(ctx.input(node, 0), node);
  const shape = g.op('Shape', [x], {}, `${name}/shape`);
  const nc = g.op(
    'Slice',
    [shape, g.constInt64(`${name}/zero`, [0]), g.constInt64(`${name}/two`, [2])],
    {},
    `${name}/nc`,
  );
  const sizes = g.op('Concat', [nc, g.constInt64(`${name}/hw`, size)], { axis: 0 }, `${name}/sizes`);
  const mode = attrBool(node, 'align_corners')
    ? 'align_corners'
    : attrBool(node, 'half_pixel_centers')
      ? 'half_pixel'
      : 'asymmetric';
  const y = g.op(
    'Resize',
    [x, '', '', sizes],
    { mode: 'linear', coordinate_transformation_mode: mode },
    name,
  );
  return [ctx.toNhwc(y, node)];
};

/** TF depth_to_space on NHWC orders the block as (row, col, channel): ONNX DCR mode on NCHW. */
const depthToSpace: OpHandler = (ctx, node) => {
  const y = ctx.g.op(
    'DepthToSpace',
    [ctx.toNchw(ctx.input(node, 0), node)],
    { blocksize: attrInt(node, 'block_size'), mode: 'DCR' },
    ctx.nameOf(node),
  );
  return [ctx.toNhwc(y, node)];
};

export const spatialOps: Record<string, OpHandler> = {
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AveragePool'),
  ResizeBilinear: resizeBilinear,
  DepthToSpace: depthToSpace,
};
