// Reductions over constant axes: Mean, Sum, Max, Min, Prod.
import { attrBool } from '../graph-model.js';
import type { OpHandler } from '../context.js';

/** ReduceMean/Max/Min/Prod take axes as an attribute in opset 13; ReduceSum takes them as an input. */
function reduce(onnxOp: string, axesAsInput = false): OpHandler {
  return (ctx, node) => {
    const axes = Array.from(ctx.requireConst(node, 1, 'reduction axes').data);
    const keepdims = attrBool(node, 'keep_dims') ? 1 : 0;
    const name = ctx.nameOf(node);
    if (axesAsInput)
      return [
        ctx.g.op(onnxOp, [ctx.input(node, 0), ctx.g.constInt64(`${name}/axes`, axes)], { keepdims }, name),
      ];
    return [ctx.g.op(onnxOp, [ctx.input(node, 0)], { axes, keepdims }, name)];
  };
}

export const reduceOps: Record<string, OpHandler> = {
  Mean: reduce('ReduceMean'),
  Max: reduce('ReduceMax'),
  Min: reduce('ReduceMin'),
  Prod: reduce('ReduceProd'),
  Sum: reduce('ReduceSum', true),
};
