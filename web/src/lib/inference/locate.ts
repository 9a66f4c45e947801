// Quick face location for live video (the kiosk's tracker, web/src/kiosk/tracked.ts), in the engine worker: one
// BlazeFace model on RGBA pixels the page has already cropped and scaled to the model's input (web/src/kiosk/
// crops.ts), so there is no resampling here; no verification, landmarks or embedding. The input tensor is allocated
// once and reused for every frame. Candidates come back in input pixels, best first.
// The model's input, anchors and outputs are the full detector's reading of its manifest entry (shared/engine/
// detector.ts blazeFaceLayout); only the pixels-to-tensor step and the decoding loop are its own.
import { decodeBlazeFace, type BlazeFaceRaw } from '../../../../shared/engine/blazeface.js';
import { blazeFaceLayout, DEFAULT_DETECTOR_SETTINGS } from '../../../../shared/engine/detector.js';
import type { ModelCatalog, ModelInfo } from '../../../../shared/engine/manifest.js';
import { weightedNms, type Candidate } from '../../../../shared/engine/nms.js';
import type { ModelSession, SessionProvider, Tensor } from '../../../../shared/engine/session.js';
import type { RawImage } from '../../../../shared/image.js';

/** The detector's NMS overlap. */
const NMS_IOU = DEFAULT_DETECTOR_SETTINGS.nmsIou;

export interface LocatorInput {
  side: number;
  layout: 'NHWC' | 'NCHW';
  colorOrder: 'RGB' | 'BGR';
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

interface Layout {
  input: LocatorInput;
  anchors: Float32Array;
  split: (out: Record<string, Tensor>) => BlazeFaceRaw;
}

/** A square BlazeFace model's input, anchors and outputs: the detector's own reading of its manifest entry. */
function layoutOf(info: ModelInfo): Layout {
  const { spec, anchors, split } = blazeFaceLayout(info);
  if (spec.width !== spec.height) throw new RangeError(`the locator takes square models, not ${info.file}`);
  const { width: side, layout, colorOrder, mean, std } = spec;
  return { input: { side, layout, colorOrder, mean, std }, anchors, split };
}

export class FaceLocator {
  readonly #tensor: Float32Array;
  readonly #dims: number[];
  private constructor(
    private readonly session: ModelSession,
    private readonly layout: Layout,
  ) {
    const { side, layout: order } = layout.input;
    this.#tensor = new Float32Array(side * side * 3);
    this.#dims = order === 'NHWC' ? [1, side, side, 3] : [1, 3, side, side];
  }

  /** Opens a BlazeFace-family model of the catalog and runs it once on a blank input (warm before the first frame). */
  static async open(sessions: SessionProvider, catalog: ModelCatalog, modelId: string): Promise<FaceLocator> {
    const info = catalog.models[modelId];
    if (!info) throw new Error(`model ${modelId} is not in the manifest`);
    const locator = new FaceLocator(await sessions.load(modelId), layoutOf(info));
    await locator.#run(0.99);
    return locator;
  }

  /** The square input side images must have. */
  get inputSize(): number {
    return this.layout.input.side;
  }

  /** Faces over `minScore` (raw) in an RGBA image of the input size, merged, best first, in input pixels. */
  async locate(image: RawImage, minScore: number): Promise<Candidate[]> {
    const { side } = this.layout.input;
    if (image.width !== side || image.height !== side || image.channels !== 4)
      throw new Error(
        `the locator takes ${side}x${side} RGBA, not ${image.width}x${image.height}x${image.channels}`,
      );
    fillTensor(image.data, this.layout.input, this.#tensor);
    return this.#run(minScore);
  }

  async #run(minScore: number): Promise<Candidate[]> {
    const out = await this.session.run({
      [this.session.inputNames[0]]: { data: this.#tensor, dims: this.#dims },
    });
    const found = decodeBlazeFace(this.layout.split(out), this.layout.anchors, minScore);
    return weightedNms(found, NMS_IOU).sort((a, b) => b.score - a.score);
  }
}

/** RGBA pixels → the model's input (colour order, (v - mean) / std, layout) into `tensor`. */
export function fillTensor(
  rgba: Uint8Array | Uint8ClampedArray,
  spec: LocatorInput,
  tensor: Float32Array,
): void {
  const plane = spec.side * spec.side;
  const [m0, m1, m2] = spec.mean;
  const [i0, i1, i2] = spec.std.map((s) => 1 / s);
  const c0 = spec.colorOrder === 'RGB' ? 0 : 2;
  const c2 = 2 - c0;
  const nchw = spec.layout === 'NCHW';
  for (let p = 0; p < plane; p++) {
    const r = rgba[4 * p + c0];
    const g = rgba[4 * p + 1];
    const b = rgba[4 * p + c2];
    if (nchw) {
      tensor[p] = (r - m0) * i0;
      tensor[plane + p] = (g - m1) * i1;
      tensor[2 * plane + p] = (b - m2) * i2;
    } else {
      tensor[3 * p] = (r - m0) * i0;
      tensor[3 * p + 1] = (g - m1) * i1;
      tensor[3 * p + 2] = (b - m2) * i2;
    }
  }
}
