// The converted TFJS models load in onnxruntime-web (wasm backend, as the browser uses them) and agree with onnxruntime-node.
import * as ort from 'onnxruntime-node';
import * as ortw from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { tfjsSpecs } from '../../models/src/tfjs/registry.js';
import { maxRelError, photoTensor } from './helpers/photo.js';
import { humanModelsRoot } from './helpers/human-models.js';

ortw.env.wasm.numThreads = 1;

describe('TFJS models in onnxruntime-web (wasm)', () => {
  for (const spec of tfjsSpecs()) {
    it(`${spec.id}: same outputs as onnxruntime-node`, async () => {
      const bytes = await spec.convert(humanModelsRoot);
      const x = await photoTensor('009_C.jpg', spec.input);
      const node = await ort.InferenceSession.create(bytes);
      const web = await ortw.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
      expect(web.outputNames).toEqual(spec.outputs.map((o) => o.name));
      const a = await node.run({ [spec.input.name]: new ort.Tensor('float32', x.data, x.dims) });
      const b = await web.run({ [spec.input.name]: new ortw.Tensor('float32', x.data, x.dims) });
      for (const out of spec.outputs) {
        expect(b[out.name].dims).toEqual(a[out.name].dims);
        expect(
          maxRelError(b[out.name].data as Float32Array, a[out.name].data as Float32Array),
          out.name,
        ).toBeLessThanOrEqual(1e-5);
      }
      await node.release();
      await web.release();
    });
  }
});
