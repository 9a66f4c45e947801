// Converts a TFJS graph model to ONNX: walks back from the requested outputs, one handler per TF op, NHWC kept.
import { GraphBuilder } from '../onnx/graph-builder.js';
import { DataType } from '../onnx/model.js';
import { ConvertContext, UnsupportedTfOp } from './context.js';
import type { TfGraph } from './graph-model.js';
import { opTable } from './ops/index.js';

export interface ConvertOptions {
  /** Used in error messages and as the ONNX graph name. */
  model: string;
  /** Name of the ONNX input replacing the model's single Placeholder. */
  inputName: string;
  /** ONNX input shape (batch first); defaults to the placeholder's, with -1 as 'batch'. */
  inputShape?: (number | string)[];
  /** ONNX output name → TF tensor, or a function building it from converted TF tensors. */
  outputs: {
    name: string;
    shape: (number | string)[];
    from: string | ((t: (tf: string) => string, g: GraphBuilder) => string);
  }[];
  metadata?: Record<string, string>;
}

function placeholderShape(tf: TfGraph, name: string): (number | string)[] {
  const dims = tf.nodes.get(name)?.attr.shape?.shape?.dim ?? [];
  return dims.map((d, i) => (Number(d.size) < 0 ? (i === 0 ? 'batch' : -1) : Number(d.size)));
}

/** Builds the ONNX bytes for `tf`, converting only what the outputs depend on. */
export function convertGraph(tf: TfGraph, opts: ConvertOptions): Uint8Array {
  const g = new GraphBuilder(opts.model);
  const resolving = new Set<string>();
  const ctx: ConvertContext = new ConvertContext(g, tf, (ref) => resolve(ref));

  function resolve(ref: string): string {
    const key = ConvertContext.tensorKey(ref);
    const done = ctx.get(key);
    if (done) return done;
    const [nodeName, index = '0'] = key.split(':');
    const node = tf.nodes.get(nodeName);
    if (!node) throw new UnsupportedTfOp(`model ${opts.model}: tensor '${ref}' has no producer`);
    if (resolving.has(nodeName)) throw new UnsupportedTfOp(`model ${opts.model}: cycle at node ${nodeName}`);
    resolving.add(nodeName);
    if (node.op === 'Const') {
      const c = tf.consts.get(nodeName);
      if (!c) throw new UnsupportedTfOp(`model ${opts.model}: constant ${nodeName} has no weights`);
      const name = ctx.nameOf(node);
      ctx.set(
        nodeName,
        c.data instanceof Int32Array
          ? g.constInt64(name, Array.from(c.data), c.dims)
          : g.constFloat(name, c.dims, c.data),
      );
    } else if (node.op === 'Placeholder') {
      ctx.set(
        nodeName,
        g.input(opts.inputName, opts.inputShape ?? placeholderShape(tf, nodeName), DataType.FLOAT),
      );
    } else {
      const handler = opTable[node.op];
      if (!handler)
        throw new UnsupportedTfOp(`model ${opts.model}: unsupported TF op '${node.op}' (node ${node.name})`);
      let outs: string[];
      try {
        outs = handler(ctx, node);
      } catch (e) {
        if (e instanceof UnsupportedTfOp && !e.message.startsWith('model '))
          throw new UnsupportedTfOp(`model ${opts.model}: ${e.message}`);
        throw e;
      }
      outs.forEach((o, i) => ctx.set(i === 0 ? nodeName : `${nodeName}:${i}`, o));
    }
    resolving.delete(nodeName);
    const out = ctx.get(key);
    if (!out) throw new UnsupportedTfOp(`model ${opts.model}: node ${nodeName} has no output ${index}`);
    return out;
  }

  for (const o of opts.outputs) {
    const tensor = typeof o.from === 'string' ? resolve(o.from) : o.from(resolve, g);
    g.output(tensor, o.name, o.shape);
  }
  return g.encode(opts.metadata);
}
