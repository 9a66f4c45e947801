// Crops of the live video for the tracked loop: each is drawn straight from the video element into a small canvas
// kept for that size, so only the crop's pixels are converted (the camera's YUV to RGBA), scaled and read back;
// the whole frame is never copied. Measured in headless Chromium (fake 640x480 camera, 240 px crop to 128 px, load
// ~13 on 2 cores): drawImage + getImageData 0.11 ms, createImageBitmap(video, crop, resize) 2.7 ms,
// createImageBitmap(video) of the whole frame 6.3 ms.
import type { RawImage } from '../../../shared/image.js';

/** A square or rectangle of the source, in source pixels (may reach outside it: that part stays black). */
export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class CropGrabber {
  /** One canvas per output size in use (the scan's, the follow's, the last embed crop's): reused every frame. */
  readonly #canvases = new Map<string, OffscreenCanvasRenderingContext2D>();

  /** The source's `rect` scaled to `width` x `height` RGBA pixels (a fresh buffer, to transfer to the worker). */
  crop(source: CanvasImageSource, rect: CropRect, width: number, height: number): RawImage {
    const ctx = this.#context(width, height);
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(source, rect.x, rect.y, rect.width, rect.height, 0, 0, width, height);
    return { data: ctx.getImageData(0, 0, width, height).data, width, height, channels: 4 };
  }

  #context(width: number, height: number): OffscreenCanvasRenderingContext2D {
    const key = `${width}x${height}`;
    let ctx = this.#canvases.get(key);
    if (ctx)
      this.#canvases.delete(key); // re-inserted last: the least recently used is first
    else {
      // embed crops vary in size: keep the few sizes used last (the locators' are used every frame)
      if (this.#canvases.size >= 4) this.#canvases.delete(this.#canvases.keys().next().value!);
      const c = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
      if (!c) throw new Error('OffscreenCanvas 2d context is unavailable');
      ctx = c;
    }
    this.#canvases.set(key, ctx);
    return ctx;
  }
}
