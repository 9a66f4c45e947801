// The neutral image type every pipeline stage takes: interleaved 8-bit pixels, decoded by whichever side runs.

export interface RawImage {
  /** Interleaved pixels, row-major, `channels` bytes per pixel (3 = RGB). */
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 3 | 4;
  /**
   * Set when these pixels are a reduced copy of a bigger image (the server decodes huge photos smaller): the
   * engine then reports boxes and landmarks in the source image's pixels.
   */
  source?: { width: number; height: number };
}
