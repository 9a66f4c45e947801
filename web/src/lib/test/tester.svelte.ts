// State of the Test page: the chosen images, the options, the match threshold, the last response (faces and
// verdict drawn from it at the threshold), and the curl command for it.
import {
  analyzeRequest,
  curlCommand,
  send,
  type AnalyzeParams,
  type AnalyzeResponse,
} from '../api/analyze.js';
import { isAbort } from '../api/client.js';
import { toUiError, type UiError } from '../api/errors.js';
import type { Connection, VerifyResponse } from '../api/types.js';
import { PLUGINS } from '../../../../shared/engine/types.js';
import { matchThreshold } from '../../../../shared/match.js';
import { overlays, verdict, type OverlayFace, type Verdict } from '../overlay/faces.js';

/** The face plugins a caller may ask for (the engine's list). */
export const PLUGIN_CHOICES = PLUGINS;

export interface Picked {
  file: File;
  bitmap: ImageBitmap;
}

export class Tester {
  /** One image (recognition, detection) or source and target (verification). */
  images = $state<(Picked | undefined)[]>([]);
  params = $state<AnalyzeParams>({ plugins: ['landmarks'], predictionCount: 1 });
  response = $state<AnalyzeResponse | undefined>(undefined);
  /** The similarity a face needs to count as a match here; starts at the service's (matchThreshold). */
  threshold = $state(0.5);
  busy = $state(false);
  error = $state<UiError | undefined>(undefined);
  #controller: AbortController | undefined;

  readonly ready = $derived(this.images.filter(Boolean).length === this.slots);
  /** The service's own threshold (its min_similarity, else the calibrated default). */
  readonly serviceThreshold: number;
  /** Per image, the faces to draw, judged at the current threshold (changing it redraws, no new request). */
  readonly faces: OverlayFace[][] = $derived.by(() =>
    this.response ? overlays(this.conn.type, this.response, this.threshold) : [],
  );
  readonly verdict: Verdict | undefined = $derived.by(() =>
    this.response && this.conn.type === 'verification'
      ? verdict(this.response as VerifyResponse, this.threshold)
      : undefined,
  );

  /** The curl command for the current options; file names are placeholders until images are picked. */
  readonly curl = $derived.by(() => {
    const names = this.slots === 2 ? ['source.jpg', 'target.jpg'] : ['photo.jpg'];
    const files = names.map((name, i) => this.images[i]?.file ?? new File([], name));
    return curlCommand(window.location.origin, this.conn, analyzeRequest(this.conn.type, this.params, files));
  });

  constructor(readonly conn: Connection) {
    this.serviceThreshold = matchThreshold(conn.minSimilarity);
    this.threshold = this.serviceThreshold;
  }

  get slots(): number {
    return this.conn.type === 'verification' ? 2 : 1;
  }

  /** Decodes a picked file (so it can be drawn) and runs the service once all images are there. */
  async pick(slot: number, file: File): Promise<void> {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      this.error = {
        action: `Opening ${file.name}`,
        message: 'This browser cannot read the file as an image.',
        hint: 'Pick a JPEG, PNG, WebP, GIF or BMP image.',
      };
      return;
    }
    this.images[slot]?.bitmap.close();
    this.images[slot] = { file, bitmap };
    this.response = undefined;
    if (this.ready) await this.run();
  }

  async run(): Promise<void> {
    const picked = this.images.filter((p): p is Picked => !!p);
    if (picked.length < this.slots) return;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.busy = true;
    this.error = undefined;
    const req = analyzeRequest(
      this.conn.type,
      $state.snapshot(this.params),
      picked.map((p) => p.file),
    );
    try {
      const res = await send(this.conn, req, controller.signal);
      this.response = res;
    } catch (err) {
      if (isAbort(err)) return;
      this.response = undefined;
      const what =
        this.conn.type === 'recognition'
          ? 'Recognition'
          : this.conn.type === 'detection'
            ? 'Detection'
            : 'Verification';
      this.error = toUiError(what, err, this.conn.type);
    } finally {
      if (this.#controller === controller) this.busy = false;
    }
  }

  setPlugin(name: string, on: boolean): void {
    const rest = this.params.plugins.filter((p) => p !== name);
    this.params.plugins = on ? [...rest, name] : rest;
  }
}
