// The state a TF op handler sees: the ONNX graph being built, TF constants, and the ONNX names of converted tensors.
import type { GraphBuilder } from '../onnx/graph-builder.js';
import type { TfConst, TfGraph, TfNode } from './graph-model.js';

/** Raised for a TF construct the converter cannot express; the message names the node. */
export class UnsupportedTfOp extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedTfOp';
  }
}

export class ConvertContext {
  /** TF tensor name (`node` or `node:i`) → ONNX tensor name. */
  private readonly values = new Map<string, string>();

  constructor(
    readonly g: GraphBuilder,
    readonly tf: TfGraph,
    /** Resolves (converting on demand) the ONNX name of a TF tensor. */
    private readonly resolve: (tfTensor: string) => string,
  ) {}

  static tensorKey(ref: string): string {
    return ref.endsWith(':0') ? ref.slice(0, -2) : ref;
  }

  set(tfTensor: string, onnx: string): void {
    this.values.set(ConvertContext.tensorKey(tfTensor), onnx);
  }

  get(tfTensor: string): string | undefined {
    return this.values.get(ConvertContext.tensorKey(tfTensor));
  }

  /** ONNX name of the node's `i`-th data input. */
  input(node: TfNode, i: number): string {
    const ref = node.inputs[i];
    if (ref === undefined) throw new UnsupportedTfOp(`node ${node.name}: missing input ${i}`);
    return this.resolve(ref);
  }

  /** The constant behind the node's `i`-th input, following Identity nodes; undefined if computed. */
  constInput(node: TfNode, i: number): TfConst | undefined {
    let ref = node.inputs[i];
    for (;;) {
      if (ref === undefined) return undefined;
      const name = ConvertContext.tensorKey(ref);
      const c = this.tf.consts.get(name);
      if (c) return c;
      const n = this.tf.nodes.get(name);
      if (n?.op !== 'Identity') return undefined;
      ref = n.inputs[0];
    }
  }

  requireConst(node: TfNode, i: number, what: string): TfConst {
    const c = this.constInput(node, i);
    if (!c) throw new UnsupportedTfOp(`node ${node.name} (${node.op}): ${what} must be a constant`);
    return c;
  }

  /** Short ONNX node name derived from the TF node name. */
  nameOf(node: TfNode, suffix = ''): string {
    const base = node.name.replace(/^StatefulPartitionedCall\//, '');
    return suffix ? `${base}/${suffix}` : base;
  }

  /** NHWC → NCHW. */
  toNchw(x: string, node: TfNode): string {
    return this.g.op('Transpose', [x], { perm: [0, 3, 1, 2] }, this.nameOf(node, 'to_nchw'));
  }

  /** NCHW → NHWC. */
  toNhwc(x: string, node: TfNode): string {
    return this.g.op('Transpose', [x], { perm: [0, 2, 3, 1] }, this.nameOf(node, 'to_nhwc'));
  }
}

export type OpHandler = (ctx: ConvertContext, node: TfNode) => string[];
