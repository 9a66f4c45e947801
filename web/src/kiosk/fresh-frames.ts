// Which camera frames the kiosk has analysed: counts the frames a video presents (requestVideoFrameCallback) so that
// every analysis path waits for one it has not taken yet, instead of analysing the same frame again as fast as the
// engine allows (a slow or frozen camera, a fast engine).

/**
 * What `next` found: a frame not taken before ('new': also when the browser cannot tell), the same frame again
 * after the camera stalled for a second ('again'), or nothing because `wake` ended the wait ('woken').
 */
export type Taken = 'new' | 'again' | 'woken';

export class FreshFrames {
  /** The video whose frames are being counted (one callback chain). */
  #video: HTMLVideoElement | undefined;
  /** The live callback chain: a chain started before a `close()` ends at its next frame, even for the same video. */
  #chain = 0;
  /** Frames presented, and the count when the last one was taken. */
  #presented = 0;
  #taken = -1;
  /** Ends the wait in progress: true when woken, false when a frame came or the time ran out. */
  #end: ((woken: boolean) => void) | undefined;

  /**
   * Waits until `video` presents a frame not taken yet, and takes it: work per camera frame, not per loop turn. Until
   * the callback has fired for this video it gives up after 250 ms (a browser without the callback, a video not being
   * rendered) and answers 'new', as it cannot tell. Once it has fired, a camera slower than 4 fps or frozen must not
   * be analysed 4 times a second for nothing: it waits up to a second, so that a stalled camera still refreshes the
   * overlay, the fps and the tracks' ages now and then ('again'), and a live camera (1 fps or more) is always waited
   * for.
   */
  async next(video: HTMLVideoElement): Promise<Taken> {
    if (typeof video.requestVideoFrameCallback !== 'function') return 'new';
    this.#watch(video);
    if (this.#presented === this.#taken) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const woken = await new Promise<boolean>((resolve) => {
        this.#end = resolve;
        timer = setTimeout(() => resolve(false), this.#presented > 0 ? 1000 : 250);
      });
      clearTimeout(timer);
      this.#end = undefined;
      if (woken) return 'woken';
    }
    const taken = this.#presented === this.#taken && this.#presented > 0 ? 'again' : 'new';
    this.#taken = this.#presented;
    return taken;
  }

  /** Ends the wait in progress at once (the kiosk stops, or swaps its engine): `next` answers 'woken'. */
  wake(): void {
    this.#end?.(true);
  }

  /** Stops counting (the kiosk stopped) and ends the wait in progress; a later `next` starts afresh. */
  close(): void {
    this.#video = undefined;
    this.#chain++;
    this.wake();
  }

  #watch(video: HTMLVideoElement): void {
    if (this.#video === video) return;
    this.#video = video;
    this.#presented = 0;
    this.#taken = -1;
    const chain = ++this.#chain;
    const onFrame = () => {
      if (this.#chain !== chain) return; // closed, or a newer chain took over
      this.#presented++;
      this.#end?.(false);
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }
}
