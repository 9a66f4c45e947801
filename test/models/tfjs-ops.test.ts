// Op-level parity: each TF op handler (including variants no shipped model uses yet) against tfjs on photo pixels;
// then the face-api weight loader against tfjs's decoder (helpers/faceapi-weights.ts), in the same tfjs process.
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { convertGraph } from '../../models/src/tfjs/convert.js';
import { weightsCases } from './helpers/faceapi-weights.js';
import { GraphFixture, a } from './helpers/tf-graph.js';
import { ONE_THREAD } from './helpers/ort-options.js';
import { maxRelError, photoTensor } from './helpers/photo.js';
import { useCpuBackend } from './helpers/tfjs-reference.js';

// The fixtures declare their output without a shape; onnxruntime warns when it infers one.
ort.env.logLevel = 'error';

type Build = (g: GraphFixture, x: string) => string;

/** Converts and runs a one-output graph on a [1, h, w, c] photo crop; returns the relative error to tfjs. */
async function parity(
  shape: number[],
  build: Build,
  reference?: (x: tf.Tensor) => tf.Tensor,
): Promise<number> {
  await useCpuBackend();
  const g = new GraphFixture();
  const x = g.placeholder('x', shape);
  const out = build(g, x);
  const input = await photoTensor('009_C.jpg', {
    name: 'x',
    shape,
    layout: 'NHWC',
    colorOrder: 'RGB',
    mean: [127.5, 127.5, 127.5],
    std: [127.5, 127.5, 127.5],
  });
  const session = await ort.InferenceSession.create(
    convertGraph(g.toTfGraph(), {
      model: 'fixture',
      inputName: 'x',
      outputs: [{ name: 'y', shape: [], from: out }],
    }),
    ONE_THREAD,
  );
  const got = (await session.run({ x: new ort.Tensor('float32', input.data, input.dims) })).y;
  const xt = tf.tensor(input.data, input.dims);
  const want = reference ? reference(xt) : ((await g.toTfjs()).execute(xt, out) as tf.Tensor);
  expect(got.dims).toEqual(want.shape);
  return maxRelError(got.data as Float32Array, want.dataSync());
}

const FILTER_1X1 = [0.5, -0.25, 0.75, 1, -1, 0.125];

const conv = (
  g: GraphFixture,
  x: string,
  cin: number,
  cout: number,
  k: number,
  attr: Record<string, ReturnType<typeof a.s>>,
  extra: string[] = [],
) =>
  g.op(
    'conv',
    '_FusedConv2D',
    [x, g.floats('w', [k, k, cin, cout], k === 1 ? FILTER_1X1 : undefined), ...extra],
    { num_args: a.i(extra.length), dilations: a.ints([1, 1, 1, 1]), ...attr },
  );

const cases: Record<string, { shape: number[]; build: Build; reference?: (x: tf.Tensor) => tf.Tensor }> = {
  'Conv2D SAME stride 2 on odd size (asymmetric padding)': {
    shape: [1, 9, 9, 3],
    build: (g, x) =>
      g.op('conv', 'Conv2D', [x, g.floats('w', [3, 3, 3, 4])], {
        strides: a.ints([1, 2, 2, 1]),
        padding: a.s('SAME'),
        dilations: a.ints([1, 1, 1, 1]),
      }),
  },
  '_FusedConv2D EXPLICIT padding + BiasAdd + LeakyRelu': {
    shape: [1, 8, 8, 3],
    build: (g, x) =>
      conv(
        g,
        x,
        3,
        4,
        3,
        {
          strides: a.ints([1, 1, 1, 1]),
          padding: a.s('EXPLICIT'),
          explicit_paddings: a.ints([0, 0, 1, 2, 0, 1, 0, 0]),
          fused_ops: a.strs(['BiasAdd', 'LeakyRelu']),
          leakyrelu_alpha: a.f(0.1),
        },
        [g.floats('b', [4])],
      ),
  },
  '_FusedConv2D dilated SAME + BiasAdd + Relu6': {
    shape: [1, 10, 10, 3],
    build: (g, x) =>
      conv(
        g,
        x,
        3,
        2,
        3,
        {
          strides: a.ints([1, 1, 1, 1]),
          padding: a.s('SAME'),
          dilations: a.ints([1, 2, 2, 1]),
          fused_ops: a.strs(['BiasAdd', 'Relu6']),
        },
        [g.floats('b', [2])],
      ),
  },
  '_FusedConv2D + FusedBatchNorm (folded) vs conv then batchNorm': {
    shape: [1, 6, 6, 3],
    build: (g, x) =>
      conv(
        g,
        x,
        3,
        2,
        1,
        {
          strides: a.ints([1, 1, 1, 1]),
          padding: a.s('VALID'),
          fused_ops: a.strs(['FusedBatchNorm', 'Relu']),
          epsilon: a.f(0.001),
        },
        [
          g.floats('scale', [2], [1.5, -0.5]),
          g.floats('offset', [2], [0.1, 0.2]),
          g.floats('mean', [2], [0.3, -0.2]),
          g.floats('var', [2], [0.8, 1.7]),
        ],
      ),
    reference: (x) => {
      const w = tf.tensor4d(FILTER_1X1, [1, 1, 3, 2]);
      const y = tf.conv2d(x as tf.Tensor4D, w, 1, 'valid');
      return tf.relu(tf.batchNorm(y, [0.3, -0.2], [0.8, 1.7], [0.1, 0.2], [1.5, -0.5], 0.001));
    },
  },
  'DepthwiseConv2dNative multiplier 2, SAME stride 2': {
    shape: [1, 7, 7, 3],
    build: (g, x) =>
      g.op('dw', 'DepthwiseConv2dNative', [x, g.floats('w', [3, 3, 3, 2])], {
        strides: a.ints([1, 2, 2, 1]),
        padding: a.s('SAME'),
        dilations: a.ints([1, 1, 1, 1]),
      }),
  },
  '_FusedMatMul transpose_b + BiasAdd + Relu after Reshape': {
    shape: [1, 2, 2, 3],
    build: (g, x) => {
      const flat = g.op('flat', 'Reshape', [x, g.ints('shape', [2], [-1, 12])]);
      return g.op('mm', '_FusedMatMul', [flat, g.floats('w', [5, 12]), g.floats('b', [5])], {
        transpose_a: a.b(false),
        transpose_b: a.b(true),
        fused_ops: a.strs(['BiasAdd', 'Relu']),
        num_args: a.i(1),
      });
    },
  },
  'AvgPool SAME stride 2 (padding excluded from the mean) and MaxPool SAME': {
    shape: [1, 7, 7, 3],
    build: (g, x) => {
      const p = g.op('avg', 'AvgPool', [x], {
        ksize: a.ints([1, 3, 3, 1]),
        strides: a.ints([1, 2, 2, 1]),
        padding: a.s('SAME'),
      });
      return g.op('max', 'MaxPool', [p], {
        ksize: a.ints([1, 2, 2, 1]),
        strides: a.ints([1, 2, 2, 1]),
        padding: a.s('SAME'),
      });
    },
  },
  'ResizeBilinear align_corners': {
    shape: [1, 5, 6, 3],
    build: (g, x) =>
      g.op('r', 'ResizeBilinear', [x, g.ints('size', [2], [9, 4])], {
        align_corners: a.b(true),
        half_pixel_centers: a.b(false),
      }),
  },
  'ResizeBilinear half_pixel_centers': {
    shape: [1, 5, 6, 3],
    build: (g, x) =>
      g.op('r', 'ResizeBilinear', [x, g.ints('size', [2], [9, 4])], {
        align_corners: a.b(false),
        half_pixel_centers: a.b(true),
      }),
  },
  'ResizeBilinear asymmetric (neither flag)': {
    shape: [1, 5, 6, 3],
    build: (g, x) =>
      g.op('r', 'ResizeBilinear', [x, g.ints('size', [2], [10, 3])], {
        align_corners: a.b(false),
        half_pixel_centers: a.b(false),
      }),
  },
  'DepthToSpace block 2 (DCR on NHWC)': {
    shape: [1, 3, 3, 8],
    build: (g, x) => g.op('d2s', 'DepthToSpace', [x], { block_size: a.i(2), data_format: a.s('NHWC') }),
  },
  'StridedSlice with begin/end/new-axis/shrink masks and a negative stride': {
    shape: [1, 6, 5, 3],
    build: (g, x) =>
      g.op(
        'ss',
        'StridedSlice',
        [
          x,
          g.ints('begin', [5], [0, 1, 0, 4, 1]),
          g.ints('end', [5], [0, 5, 0, 0, 2]),
          g.ints('strides', [5], [1, 2, 1, -1, 1]),
        ],
        {
          begin_mask: a.i(1),
          end_mask: a.i(1),
          ellipsis_mask: a.i(0),
          new_axis_mask: a.i(4),
          shrink_axis_mask: a.i(16),
        },
      ),
    // tfjs's own stridedSlice gets negative strides with these masks wrong, so the reference is x[:, 1:5:2, 4:0:-1, 1]
    // built from slice/gather/reverse, with the new axis (which consumes no input dim) at position 2.
    reference: (x) =>
      tf.reshape(tf.reverse(tf.gather(tf.slice(x, [0, 1, 1, 1], [1, 4, 4, 1]), [0, 2], 1), 2), [1, 2, 1, 4]),
  },
  'Square, Rsqrt, Sum keep_dims, Relu6, Mul, Sub, RealDiv': {
    shape: [1, 4, 4, 3],
    build: (g, x) => {
      const sq = g.op('sq', 'Square', [x]);
      const sum = g.op('sum', 'Sum', [sq, g.ints('axes', [1], [3])], { keep_dims: a.b(true) });
      const eps = g.op('eps', 'AddV2', [sum, g.floats('e', [], [1e-3])]);
      const norm = g.op('norm', 'Mul', [x, g.op('rs', 'Rsqrt', [eps])]);
      const r6 = g.op('r6', 'Relu6', [g.op('scaled', 'Mul', [norm, g.floats('k', [3], [4, 8, 12])])]);
      return g.op('div', 'RealDiv', [
        g.op('sub', 'Sub', [r6, g.floats('c', [], [1])]),
        g.floats('d', [3], [2, 3, 4]),
      ]);
    },
  },
  'Shape → StridedSlice → Pack → Reshape (dynamic batch), Squeeze, ExpandDims, ConcatV2, Pad, Mean': {
    shape: [1, 4, 4, 3],
    build: (g, x) => {
      const shape = g.op('shape', 'Shape', [x], { out_type: { type: 'DT_INT32' } });
      const n = g.op(
        'n',
        'StridedSlice',
        [shape, g.ints('n/begin', [1], [0]), g.ints('n/end', [1], [1]), g.ints('n/strides', [1], [1])],
        { shrink_axis_mask: a.i(1), T: { type: 'DT_INT32' } },
      );
      const packed = g.op('packed', 'Pack', [n, g.ints('rows', [], [16]), g.ints('cols', [], [3])], {
        axis: a.i(0),
        N: a.i(3),
        T: { type: 'DT_INT32' },
      });
      const r = g.op('r', 'Reshape', [x, packed]);
      const e = g.op('e', 'ExpandDims', [r, g.ints('dim', [], [-1])]);
      const s = g.op('s', 'Squeeze', [e], { squeeze_dims: a.ints([3]) });
      const c = g.op('c', 'ConcatV2', [s, r, g.ints('axis', [], [-1])], { N: a.i(2) });
      const p = g.op('p', 'Pad', [c, g.ints('pads', [3, 2], [0, 0, 1, 2, 0, 1])]);
      return g.op('m', 'Mean', [p, g.ints('ax', [1], [1])], { keep_dims: a.b(false) });
    },
  },
};

describe('TF op handlers vs tfjs', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => {
      expect(await parity(c.shape, c.build, c.reference)).toBeLessThanOrEqual(1e-5);
    });
  }
});

weightsCases();
