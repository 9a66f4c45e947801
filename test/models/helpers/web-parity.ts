// The converted TFJS models load in onnxruntime-web (wasm backend, as the browser uses them) and agree with
// onnxruntime-node on a real photo. Run by tfjs-parity.test.ts, whose process has converted each model and opened it
// in onnxruntime-node for the tfjs parity already (convertedOnce): a file of its own converted all fourteen again.
import * as ort from 'onnxruntime-node';
import * as ortw from 'onnxruntime-web';
import { expect, it } from 'vitest';
import { tfjsSpecs } from '../../../models/src/tfjs/registry.js';
import { convertedOnce } from './parity.js';
import { maxRelError, photoTensor } from './photo.js';

ortw.env.wasm.numThreads = 1;

/** One vitest case per shipped TFJS model: onnxruntime-web's outputs within 1e-5 of onnxruntime-node's on 009_C. */
export function webCases(): void {
  for (const spec of tfjsSpecs()) {
    it(`${spec.id}: same outputs as onnxruntime-node`, async () => {
      const { bytes, session: node } = await convertedOnce(spec);
      const x = await photoTensor('009_C.jpg', spec.input);
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
      await web.release();
    });
  }
}
