// Every shipped TFJS model has a parity case and a tfjs reference: a model added without them fails here.
import { describe, expect, it } from 'vitest';
import { tfjsSpecs } from '../../models/src/tfjs/registry.js';
import { attributeCases, detectorCases, faceresCases } from './helpers/parity-cases.js';
import { references } from './helpers/tfjs-outputs.js';

describe('TFJS model registry', () => {
  it('has a parity case and a tfjs reference for every spec, and no stale case', () => {
    const ids = tfjsSpecs().map((s) => s.id);
    const cases = Object.keys({ ...detectorCases, ...faceresCases, ...attributeCases });
    expect([...cases].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(references[id], id).toBeDefined();
  });

  it('names outputs meaningfully and uniquely, and skips the degenerate embedders', () => {
    for (const spec of tfjsSpecs()) {
      const names = spec.outputs.map((o) => o.name);
      expect(new Set(names).size).toBe(names.length);
      for (const n of names) expect(n).toMatch(/^[a-z]+$/);
    }
    expect(tfjsSpecs().map((s) => s.id)).not.toContain('mobilefacenet');
    expect(tfjsSpecs().map((s) => s.id)).not.toContain('mobileface');
  });
});
