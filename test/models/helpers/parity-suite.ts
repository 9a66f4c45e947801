// One vitest case per model: outputs named as the spec says, shapes equal to tfjs's, every error within TOLERANCE.
import { expect, it } from 'vitest';
import { TOLERANCE, checkParity, tfjsSpec } from './parity.js';
import { referenceBackend } from './tfjs-reference.js';

export function parityCases(cases: Record<string, string[]>): void {
  for (const [id, photos] of Object.entries(cases)) {
    it(`${id}: every output within ${TOLERANCE} relative error of tfjs on ${photos.join(', ')}`, async () => {
      const spec = tfjsSpec(id);
      const r = await checkParity(spec, photos);
      expect(r.backend, 'tfjs backend of the reference').toBe(referenceBackend);
      expect(r.outputNames).toEqual(spec.outputs.map((o) => o.name));
      for (const out of spec.outputs) {
        expect(r.shapes[out.name].onnx, `${out.name} shape`).toEqual(r.shapes[out.name].tfjs);
        expect(r.errors[out.name], out.name).toBeLessThanOrEqual(TOLERANCE);
      }
    });
  }
}
