// How to get each shipped model's ONNX outputs from the original tfjs graph: the TF tensors and any glue the converter adds.
import * as tf from '@tensorflow/tfjs';

type Reference = (model: tf.GraphModel, x: tf.Tensor) => Record<string, tf.Tensor>;

/** Executes `nodes` and names the results `names`, in order. */
function nodes(names: string[], tfNames: string[]): Reference {
  return (model, x) => {
    const r = model.execute(x, tfNames);
    const list = Array.isArray(r) ? r : [r];
    return Object.fromEntries(names.map((n, i) => [n, list[i]]));
  };
}

/** Detectors whose single output is [b, n, 17]: scores = [..., 0:1], boxes = [..., 1:17]. */
const split17: Reference = (model, x) => {
  const out = model.execute(x, ['Identity']) as tf.Tensor;
  return { scores: tf.slice(out, [0, 0, 0], [-1, -1, 1]), boxes: tf.slice(out, [0, 0, 1], [-1, -1, 16]) };
};

/** BlazeFace (back and front): scores and boxes of its two anchor grids, concatenated. */
const blazeface: Reference = (model, x) => {
  const [s512, s384, b512, b384] = model.execute(x, [
    'Identity',
    'Identity_1',
    'Identity_2',
    'Identity_3',
  ]) as tf.Tensor[];
  return { scores: tf.concat([s512, s384], 1), boxes: tf.concat([b512, b384], 1) };
};

export const references: Record<string, Reference> = {
  'blazeface-back': blazeface,
  'blazeface-front': blazeface,
  'facemesh-detection-full': split17,
  'facemesh-detection-short': split17,
  faceres: nodes(
    ['embedding', 'gender', 'age'],
    ['global_pooling/Mean', 'gender_pred/Sigmoid', 'age_pred/Softmax'],
  ),
  'faceres-deep': nodes(
    ['embedding', 'gender', 'age'],
    ['global_pooling/Mean', 'gender_pred/Sigmoid', 'age_pred/Softmax'],
  ),
};

Object.assign(references, {
  facemesh: nodes(['mesh', 'faceflag', 'contours'], ['Identity_2', 'Identity_1', 'Identity']),
  iris: nodes(['landmarks'], ['Identity']),
  antispoof: nodes(['real'], ['Identity']),
  liveness: nodes(['liveness'], ['Identity']),
  emotion: nodes(['emotion'], ['Identity']),
  gender: nodes(['gender'], ['Identity']),
  age: nodes(['age'], ['Identity']),
  gear: nodes(['age', 'gender', 'race'], ['Identity', 'Identity_1', 'Identity_2']),
});
