// Emotion (7 FER classes) and liveness (anti-spoofing: `antispoof` and `liveness` models averaged).
import { PluginUnavailable } from '../../errors.js';
import { faceRegion, loadCropModel } from './crop.js';
import type { PluginDescriptor, PluginFactory } from './contract.js';

export const emotionPlugin: PluginFactory = async (deps) => {
  const model = await loadCropModel(deps, 'emotion', 'emotion');
  const labels = model.profile.labels;
  if (!labels) throw new PluginUnavailable('model emotion names no labels');
  return async (ctx) => {
    const { out } = await model.run(ctx, faceRegion(ctx, 1.1));
    const p = out[model.info.outputs[0].name].data;
    const scores: Record<string, number> = {};
    let best = 0;
    labels.forEach((label, i) => {
      scores[label] = Math.round(p[i] * 1000) / 1000;
      if (p[i] > p[best]) best = i;
    });
    ctx.face.emotion = { value: labels[best], probability: scores[labels[best]], scores };
  };
};

export const livenessPlugin: PluginFactory = async (deps) => {
  const antispoof = await loadCropModel(deps, 'antispoof', 'liveness');
  const liveness = await loadCropModel(deps, 'liveness', 'liveness');
  const index = liveness.profile.scoreIndex ?? 0;
  return async (ctx) => {
    const region = faceRegion(ctx, 1.0);
    const a = (await antispoof.run(ctx, region)).out.real.data[0];
    const l = (await liveness.run(ctx, region)).out.liveness.data[index];
    const real = (a + l) / 2;
    ctx.face.liveness =
      real > 0.5 ? { value: 'real', probability: real } : { value: 'spoof', probability: 1 - real };
  };
};

export const emotionDescriptor: PluginDescriptor = {
  name: 'emotion',
  field: 'emotion',
  models: ['emotion'],
  version: 'visor.emotion',
  create: emotionPlugin,
};
export const livenessDescriptor: PluginDescriptor = {
  name: 'liveness',
  field: 'liveness',
  models: ['antispoof', 'liveness'],
  version: 'visor.liveness',
  create: livenessPlugin,
};
