// Age and gender from `faceres` (HSE FaceRes: 100 one-year age bins + a male sigmoid), run once per face for both.
import type { Age, Gender } from '../types.js';
import { faceRegion, loadCropModel, memo } from './crop.js';
import type { FaceContext, PluginDeps, PluginDescriptor, PluginFactory } from './contract.js';

/** The shortest run of one-year bins holding at least `mass` of the distribution (ties: the more probable). */
export function ageRange(p: ArrayLike<number>, mass = 0.5): Age {
  let total = 0;
  for (let i = 0; i < p.length; i++) total += p[i];
  let best = { low: 0, high: p.length - 1, probability: 1 };
  for (let lo = 0; lo < p.length; lo++) {
    let s = 0;
    for (let hi = lo; hi < p.length; hi++) {
      s += p[hi] / total;
      if (s >= mass) {
        const better =
          hi - lo < best.high - best.low || (hi - lo === best.high - best.low && s > best.probability);
        if (better) best = { low: lo, high: hi, probability: s };
        break;
      }
    }
  }
  return { low: best.low, high: best.high + 1, probability: Math.round(best.probability * 1000) / 1000 };
}

export function genderFrom(maleProbability: number): Gender {
  const male = maleProbability > 0.5;
  return { value: male ? 'male' : 'female', probability: male ? maleProbability : 1 - maleProbability };
}

async function faceres(deps: PluginDeps, plugin: string) {
  const model = await loadCropModel(deps, 'faceres', plugin);
  return (ctx: FaceContext) =>
    memo('faceres', ctx, async () => {
      const { out } = await model.run(ctx, faceRegion(ctx, 1.4));
      return { age: out.age.data, male: out.gender.data[0] };
    });
}

export const agePlugin: PluginFactory = async (deps) => {
  const run = await faceres(deps, 'age');
  return async (ctx) => {
    ctx.face.age = ageRange((await run(ctx)).age);
  };
};

export const genderPlugin: PluginFactory = async (deps) => {
  const run = await faceres(deps, 'gender');
  return async (ctx) => {
    ctx.face.gender = genderFrom((await run(ctx)).male);
  };
};

export const ageDescriptor: PluginDescriptor = {
  name: 'age',
  field: 'age',
  models: ['faceres'],
  version: 'visor.age',
  create: agePlugin,
};
export const genderDescriptor: PluginDescriptor = {
  name: 'gender',
  field: 'gender',
  models: ['faceres'],
  version: 'visor.gender',
  create: genderPlugin,
};
