// face-api's FaceLandmark68Net (4 dense blocks of separable convs + FC) rebuilt as ONNX from face_landmark_68_model's weights.
import { GraphBuilder } from '../onnx/graph-builder.js';
import type { ModelSpec } from '../spec.js';
import { NetBuilder, type Fmap } from './layers.js';
import { FACEAPI_MEAN_RGB } from './recognition.js';
import { loadWeights } from './weights.js';

/** face-api's denseBlock4 (scale-down variant): four convs whose outputs are summed densely. */
function denseBlock4(n: NetBuilder, x: Fmap, prefix: string, isFirst: boolean): Fmap {
  const out1 = n.relu(
    isFirst
      ? n.conv(x, `${prefix}/conv0/filters`, `${prefix}/conv0/bias`, 2, 'same', `${prefix}/conv0`)
      : n.separable(x, `${prefix}/conv0`, 2),
  );
  const out2 = n.separable(out1, `${prefix}/conv1`, 1);
  const in3 = n.relu(n.add(out1, out2));
  const out3 = n.separable(in3, `${prefix}/conv2`, 1);
  const in4 = n.relu(n.add(out1, n.add(out2, out3)));
  const out4 = n.separable(in4, `${prefix}/conv3`, 1);
  return n.relu(n.add(out1, n.add(out2, n.add(out3, out4))));
}

export function buildLandmarks68(modelDir: string): Uint8Array {
  const g = new GraphBuilder('faceapi-landmarks68');
  const n = new NetBuilder(g, loadWeights(modelDir, 'face_landmark_68_model'));
  let out = n.imageInput('image', 112, { mean: FACEAPI_MEAN_RGB, div: 255 });
  out = denseBlock4(n, out, 'dense0', true);
  for (const p of ['dense1', 'dense2', 'dense3']) out = denseBlock4(n, out, p, false);
  out = n.pool('AveragePool', out, 7, 2, 'valid');
  g.output(n.fc(n.flatten(out), 'fc/weights', 'fc/bias'), 'landmarks', ['batch', 136]);
  return g.encode({ source: '@vladmandic/face-api face_landmark_68_model' });
}

export const landmarks68Spec = (version: string): ModelSpec => ({
  id: 'faceapi-landmarks68',
  task: 'landmarks',
  description: "face-api's FaceLandmark68Net: 68 iBUG-300W landmarks of a face crop.",
  license: 'MIT',
  source: {
    package: '@vladmandic/face-api',
    version,
    files: ['model/face_landmark_68_model-weights_manifest.json', 'model/face_landmark_68_model.bin'],
  },
  input: {
    name: 'image',
    shape: ['batch', 112, 112, 3],
    layout: 'NHWC',
    colorOrder: 'RGB',
    mean: [0, 0, 0],
    std: [1, 1, 1],
  },
  outputs: [
    {
      name: 'landmarks',
      shape: ['batch', 136],
      meaning:
        '68 points as interleaved x0,y0,x1,y1,… normalised to the 112x112 input square (0..1, may slightly exceed)',
    },
  ],
  dependsOn: ['faceapi-ssd'],
  extra: {
    normalisationInGraph:
      '(pixel - [122.782, 117.001, 104.298]) / 255, computed inside the graph: feed raw 0..255 RGB',
    points: 68,
    pointOrder:
      'iBUG 300-W: jaw 0..16, brows 17..21 and 22..26, nose bridge 27..30 (30 = tip), nostrils 31..35, eyes 36..41 (image-left) and 42..47 (image-right), mouth 48..67',
    crop: {
      convention:
        "face-api feeds the detector's box (x, y, w, h in image pixels, clipped at the border and floored) cut out of the image, padded with zeros to a square of side s = max(w, h) (the short axis gets round((s - short) / 2) after and the rest before), resized bilinearly to 112x112 (alignCorners=false, halfPixelCenters=false)",
      toImage:
        "x_img = box.x + lx * s - padX, y_img = box.y + ly * s - padY, padX = (s - w) / 2 when w < h else 0, padY = (s - h) / 2 when h < w else 0 (face-api's postProcess)",
      engineNote:
        'any square crop works the same way: a point is (crop.x + lx * crop.size, crop.y + ly * crop.size)',
    },
  },
  convert: (root) => buildLandmarks68(`${root}/model`),
});
