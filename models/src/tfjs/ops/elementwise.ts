// Element-wise TF ops: binary arithmetic with numpy broadcasting (same as ONNX) and unary activations.
import type { OpHandler } from '../context.js';

function binary(onnxOp: string): OpHandler {
  return (ctx, node) => [ctx.g.op(onnxOp, [ctx.input(node, 0), ctx.input(node, 1)], {}, ctx.nameOf(node))];
}

function unary(onnxOp: string, attrs: Record<string, number> = {}): OpHandler {
  return (ctx, node) => [ctx.g.op(onnxOp, [ctx.input(node, 0)], attrs, ctx.nameOf(node))];
}

export const elementwiseOps: Record<string, OpHandler> = {
  Add: binary('Add'),
  AddV2: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  RealDiv: binary('Div'),
  Maximum: binary('Max'),
  Minimum: binary('Min'),
  Prelu: binary('PRelu'),
  Relu: unary('Relu'),
  Abs: unary('Abs'),
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  Elu: unary('Elu'),
  Exp: unary('Exp'),
  Neg: unary('Neg'),
  Sqrt: unary('Sqrt'),
  Softmax: unary('Softmax', { axis: -1 }),
  Relu6: (ctx, node) => {
    const name = ctx.nameOf(node);
    const lo = ctx.g.constFloat(`${name}/min`, [], [0]);
    const hi = ctx.g.constFloat(`${name}/max`, [], [6]);
    return [ctx.g.op('Clip', [ctx.input(node, 0), lo, hi], {}, name)];
  },
  Square: (ctx, node) => {
    const x = ctx.input(node, 0);
    return [ctx.g.op('Mul', [x, x], {}, ctx.nameOf(node))];
  },
  Rsqrt: (ctx, node) => {
    const s = ctx.g.op('Sqrt', [ctx.input(node, 0)], {}, ctx.nameOf(node, 'sqrt'));
    return [ctx.g.op('Reciprocal', [s], {}, ctx.nameOf(node))];
  },
  Identity: (ctx, node) => [ctx.input(node, 0)],
};
