// Where the face is in a photo of an example: in the stored photo, for the lightbox (GET faces/{id}/img, when one
// opens), and in a server-made thumbnail, for the subjects' face-crop avatars (GET static/…?size=AVATAR_PHOTO, one
// per row: 17–124 KB each way for the samples, whose photos weigh up to 2.5 MB). The server says where: the photo is
// compared with its own example (POST faces/{id}/verify), whose most similar face is the enrolled one, its box in that
// photo's pixels. Only when the server finds no face there does this browser's engine look (a photo enrolled with a
// lower detection threshold, or pushed by a device).
import { squareAround } from '../../../../shared/tracking.js';
import { ApiError } from '../api/errors.js';
import { downloadExample, downloadThumbnail, verifyAgainstExample } from '../api/recognition.js';
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

/** An example's photo as downloaded (empty when the server keeps none) and where its face is in it. */
interface Located extends Omit<ExampleFace, 'url'> {
  photo: Blob;
}

/** NoFaceFound: the server's code 28. */
const NO_FACE = 28;
const AVATAR = 96;
/**
 * The thumbnail an avatar is cut from: the largest the server makes. Examples hold one face, which the server finds
 * in the samples' thumbnails from 256 px up; what the size buys is a sharp crop. The smallest face of the samples
 * (001_A.jpg, 7360 px tall) is 58 px wide in this thumbnail, its crop cut from 81 px, twice the 40 px a row shows it
 * at (512 would leave 39 px); its avatar costs 124 KB down and up instead of 2.5 MB each way.
 */
const AVATAR_PHOTO = 1024;
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

  /** The stored photo of example `imageId` and its face (asked once per example, then remembered). */
  face(imageId: string): Promise<ExampleFace> {
    let p = this.#faces.get(imageId);
    if (!p) {
      p = this.#locate(imageId).then(({ photo, ...f }) => ({
        ...f,
        url: photo.size ? this.#url(photo) : '',
      }));
      this.#faces.set(imageId, p);
      p.catch(() => this.#faces.delete(imageId)); // a failure is asked again next time
    }
    return p;
  }

  /**
   * A square crop around the face of example `imageId` (an object URL), or undefined without a face; cut from a
   * thumbnail, apart from `face` (the lightbox's stored photo is asked for only when one opens).
   */
  avatar(imageId: string): Promise<string | undefined> {
    let p = this.#avatars.get(imageId);
    if (!p) {
      p = this.#locate(imageId, AVATAR_PHOTO).then((f) => (f.box ? this.#crop(f.photo, f.box) : undefined));
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

  /** Example `imageId`'s stored photo, or with `thumbnail` the server's thumbnail of it that long, and its face. */
  async #locate(imageId: string, thumbnail?: number): Promise<Located> {
    const photo =
      thumbnail === undefined
        ? await downloadExample(this.conn, imageId)
        : await downloadThumbnail(this.conn, imageId, thumbnail);
    // CompreFace answers an empty 200 for an example stored without its photo
    if (photo.size === 0) return { photo, width: 0, height: 0, by: 'none' };
    const bitmap = await createImageBitmap(photo);
    const size = { width: bitmap.width, height: bitmap.height };
    try {
      const [best] = await verifyAgainstExample(this.conn, imageId, photo);
      bitmap.close();
      if (best) return { photo, ...size, box: best.box, by: 'server', similarity: best.similarity };
    } catch (err) {
      if (!(err instanceof ApiError && err.code === NO_FACE)) {
        bitmap.close();
        throw err;
      }
    }
    this.#browser ??= browserLook();
    // the bitmap is transferred and closed there; an engine that cannot start finds no face
    const box = await this.#browser.then((b) => b.look(bitmap)).catch(() => undefined);
    return { photo, ...size, box, by: box ? 'browser' : 'none' };
  }

  /** An AVATAR px square around `box` in `photo`. */
  async #crop(photo: Blob, box: Box): Promise<string | undefined> {
    const sq = squareAround(box, AVATAR_MARGIN);
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = AVATAR;
    const ctx = canvas.getContext('2d');
    if (!ctx) return undefined;
    const bitmap = await createImageBitmap(photo);
    ctx.fillStyle = '#e5e7eb';
    ctx.fillRect(0, 0, AVATAR, AVATAR);
    ctx.drawImage(bitmap, sq.x, sq.y, sq.side, sq.side, 0, 0, AVATAR, AVATAR);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    return blob ? this.#url(blob) : undefined;
  }
}
