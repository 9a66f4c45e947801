// The converter's contract: unknown ops fail naming op and model, fp16/uint8 weights dequantize, output is deterministic,
// and dead branches are dropped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertGraph } from '../../models/src/tfjs/convert.js';
import { UnsupportedTfOp } from '../../models/src/tfjs/context.js';
import { loadGraphModel, parseGraphModel } from '../../models/src/tfjs/graph-model.js';
import { humanModelsRoot, tfjsSpec } from './helpers/human-models.js';

const modelJson = (stem: string) => join(humanModelsRoot, 'models', `${stem}.json`);

describe('TFJS graph converter', () => {
  it('fails with the op, node and model named when an op is unknown', () => {
    const graph = loadGraphModel(modelJson('faceres'));
    const node = [...graph.nodes.values()].find((n) => n.op === 'Sigmoid')!;
    node.op = 'Foo';
    const convert = () =>
      convertGraph(graph, {
        model: 'faceres',
        inputName: 'input',
        outputs: [{ name: 'gender', shape: [], from: node.name }],
      });
    expect(convert).toThrow(UnsupportedTfOp);
    expect(convert).toThrow(`model faceres: unsupported TF op 'Foo' (node ${node.name})`);
  });

  it('dequantizes float16 and uint8 weights to float32', () => {
    const half = new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0001]); // 1, -2, ~0.33325, smallest subnormal
    const bytes = new Uint8Array([...new Uint8Array(half.buffer), 0, 128, 255]);
    const graph = parseGraphModel(
      {
        modelTopology: { node: [] },
        weightsManifest: [
          {
            paths: ['x.bin'],
            weights: [
              { name: 'h', shape: [4], dtype: 'float32', quantization: { dtype: 'float16' } },
              {
                name: 'u',
                shape: [3],
                dtype: 'float32',
                quantization: { dtype: 'uint8', min: -1, scale: 0.5 },
              },
            ],
          },
        ],
      },
      () => bytes,
    );
    expect(Array.from(graph.consts.get('h')!.data)).toEqual([1, -2, 0.333251953125, 2 ** -24]);
    expect(Array.from(graph.consts.get('u')!.data)).toEqual([-1, 63, 126.5]);
  });

  /** facemesh-detection-full converted once for both tests below (the first converts it a second time). */
  let fullDetector: Promise<Uint8Array> | undefined;
  const convertFull = () =>
    (fullDetector ??= Promise.resolve(tfjsSpec('facemesh-detection-full').convert(humanModelsRoot)));

  it('produces the same bytes every time', async () => {
    const a = await convertFull();
    const b = await tfjsSpec('facemesh-detection-full').convert(humanModelsRoot);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('drops branches no output needs (the person head of facemesh-detection-full)', async () => {
    const text = Buffer.from(await convertFull()).toString('latin1');
    expect(readFileSync(modelJson('facemesh-detection-full'), 'utf8')).toContain('regressor_person');
    expect(text).not.toContain('regressor_person');
    expect(text).toContain('regressor_face');
  });
});
