// Where the face is in an example's stored photo, for the lightbox and the subjects' face-crop avatars. The
// server says it: the photo is downloaded (GET faces/{id}/img) and compared with its own example
// (POST faces/{id}/verify), whose most similar face is the enrolled one. Only when the server finds no face there
// does this browser's engine look (a photo enrolled with a lower detection threshold, or pushed by a device).
import { squareAround } from '../../../../shared/tracking.js';
import { ApiError } from '../api/errors.js';
import { downloadExample, verifyAgainstExample } from '../api/recognition.js';
import type { Connection } from '../api/types.js';
import { BrowserEngine } from '../inference/browser-engine.js';

export interface Box {
  x_min: number;
  y_min: number;
  x_max: number;
  y_max: number;
}

export interface ExampleFace {
  /** The photo (an object URL, revoked by `dispose`); empty when the server keeps no photo of the example. */
  url: string;
  width: number;
  height: number;
  /** The enrolled face, or undefined when neither the server nor this browser found one. */
  box?: Box;
  /** Who found the box. */
  by: 'server' | 'browser' | 'none';
  /** Its similarity to the example (server only). */
  similarity?: number;
}

/** NoFaceFound: the server's code 28. */
const NO_FACE = 28;
const AVATAR = 96;
/** The face fills the avatar but for this much of its size around it. */
const AVATAR_MARGIN = 0.2;

type BrowserLook = (bitmap: ImageBitmap) => Promise<Box | undefined>;

/** The browser engine, started on first need only (a worker and its models), kept for the page's life. */
async function browserLook(): Promise<{ look: BrowserLook; dispose(): void }> {
  const engine = await BrowserEngine.create();
  return {
    async look(bitmap) {
      const r = await engine.analyzeBitmap(bitmap, { embed: false, limit: 1, detProbThreshold: 0.2 });
      return r.faces[0]?.box;
    },
    dispose: () => void engine.dispose(),
  };
}

export class ExampleFaces {
  #faces = new Map<string, Promise<ExampleFace>>();
  #avatars = new Map<string, Promise<string | undefined>>();
  #urls: string[] = [];
  #browser: ReturnType<typeof browserLook> | undefined;

  constructor(readonly conn: Connection) {}

  /** The photo of example `imageId` and its face (asked once per example, then remembered). */
  face(imageId: string): Promise<ExampleFace> {
    let p = this.#faces.get(imageId);
    if (!p) {
      p = this.#locate(imageId);
      this.#faces.set(imageId, p);
      p.catch(() => this.#faces.delete(imageId)); // a failure is asked again next time
    }
    return p;
  }

  /** A square crop around the face of example `imageId` (an object URL), or undefined without a face. */
  avatar(imageId: string): Promise<string | undefined> {
    let p = this.#avatars.get(imageId);
    if (!p) {
      p = this.face(imageId).then((f) => (f.box ? this.#crop(f, f.box) : undefined));
      this.#avatars.set(imageId, p);
      p.catch(() => this.#avatars.delete(imageId));
    }
    return p;
  }

  /** Forgets what is known of these examples (deleted ones). */
  forget(imageIds: readonly string[]): void {
    for (const id of imageIds) {
      this.#faces.delete(id);
      this.#avatars.delete(id);
    }
  }

  dispose(): void {
    for (const u of this.#urls) URL.revokeObjectURL(u);
    this.#urls = [];
    this.#faces.clear();
    this.#avatars.clear();
    void this.#browser?.then((b) => b.dispose()).catch(() => undefined);
  }

  #url(blob: Blob): string {
    const u = URL.createObjectURL(blob);
    this.#urls.push(u);
    return u;
  }

  async #locate(imageId: string): Promise<ExampleFace> {
    const blob = await downloadExample(this.conn, imageId);
    // CompreFace answers an empty 200 for an example stored without its photo
    if (blob.size === 0) return { url: '', width: 0, height: 0, by: 'none' };
    const bitmap = await createImageBitmap(blob);
    const size = { width: bitmap.width, height: bitmap.height };
    const url = this.#url(blob);
    try {
      const [best] = await verifyAgainstExample(this.conn, imageId, blob);
      bitmap.close();
      if (best) return { url, ...size, box: best.box, by: 'server', similarity: best.similarity };
    } catch (err) {
      if (!(err instanceof ApiError && err.code === NO_FACE)) {
        bitmap.close();
        throw err;
      }
    }
    this.#browser ??= browserLook();
    // the bitmap is transferred and closed there; an engine that cannot start finds no face
    const box = await this.#browser.then((b) => b.look(bitmap)).catch(() => undefined);
    return { url, ...size, box, by: box ? 'browser' : 'none' };
  }

  async #crop(f: ExampleFace, box: Box): Promise<string | undefined> {
    const img = new Image();
    img.src = f.url;
    await img.decode();
    const sq = squareAround(box, AVATAR_MARGIN);
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = AVATAR;
    const ctx = canvas.getContext('2d');
    if (!ctx) return undefined;
    ctx.fillStyle = '#e5e7eb';
    ctx.fillRect(0, 0, AVATAR, AVATAR);
    ctx.drawImage(img, sq.x, sq.y, sq.side, sq.side, 0, 0, AVATAR, AVATAR);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    return blob ? this.#url(blob) : undefined;
  }
}
