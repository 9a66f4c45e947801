// Slows down a key that keeps being refused (a tarpit): a closed-loop client re-sends as soon as it is answered, so
// a flood of cheap refusals (429 over the key's share, 400 for an image refused from its header) would otherwise
// run at whatever rate the cores allow, the refusals' parsing and answers taking them from everyone else. A refusal
// to a key whose recent answers were mostly refusals, and which recently had several requests in progress at once,
// is answered after a delay (a timer, no CPU), so such a client's rate is bounded by its requests in flight / the
// delay. Answers that are not refusals are never delayed, nor are a key's first few refusals (a CompreFace client
// that gets one 400), nor those of a client that sends one request at a time (an SDK, a suite walking the rules).
import { NoFaceFound, TooManyFaces } from '../../../shared/errors.js';

/** Refusals a key must have had recently (decayed count) before its refusals are delayed. */
export const MIN_REFUSALS = 8;
/** Seconds over which a key's counts decay to 1/e: "recent". */
export const WINDOW_S = 10;
/** Answers held back at once, all keys together; beyond, refusals go out at once (sockets are not free either). */
export const MAX_HELD = 1000;
/** Keys remembered; the least recently seen is forgotten first (a flood of made-up keys cannot grow the map). */
export const MAX_KEYS = 10_000;

interface Counts {
  answered: number;
  refused: number;
  at: number;
  /** When the key last had more than one request in progress (ms; -Infinity: never). */
  concurrentAt: number;
}

/** Whether an answer is a refusal: a 4xx that is not an analysis's expected outcome (no face, too many faces). */
export function isRefusal(status: number, error: unknown): boolean {
  return status >= 400 && status < 500 && !(error instanceof NoFaceFound) && !(error instanceof TooManyFaces);
}

/** Per-key record of recent answers and refusals, and the delay their refusals get. */
export class RefusalDelay {
  readonly #keys = new Map<string, Counts>();
  #held = 0;

  /** `delayMs`: how long a refusal to an abusive key waits (0 = never); `now`: the clock, in ms. */
  constructor(
    readonly delayMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Answers held back right now. */
  get held(): number {
    return this.#held;
  }

  /** Records one answer to `key`, a refusal or not. */
  record(key: string, refused: boolean): void {
    this.#update(key, (c) => {
      c.answered++;
      if (refused) c.refused++;
    });
  }

  /** Records that `key` has more than one request in progress right now. */
  concurrent(key: string): void {
    this.#update(key, (c) => (c.concurrentAt = c.at));
  }

  /**
   * Whether `key`'s recent answers were mostly refusals, enough of them to be more than a mistake, and it had
   * several requests in progress at once within the window (not a client sending one at a time).
   */
  abusive(key: string): boolean {
    const c = this.#decayed(key, this.now());
    return (
      c.refused >= MIN_REFUSALS && c.refused * 2 >= c.answered && c.at - c.concurrentAt <= WINDOW_S * 1000
    );
  }

  /**
   * Waits before a refusal to an abusive key goes out: resolves after `delayMs`, at once when `signal` aborts (the
   * client left), when the delay is off, the key is not abusive, or MAX_HELD answers are already held.
   */
  async hold(key: string, signal?: AbortSignal): Promise<void> {
    if (this.delayMs <= 0 || this.#held >= MAX_HELD || signal?.aborted || !this.abusive(key)) return;
    this.#held++;
    try {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, this.delayMs);
        signal?.addEventListener('abort', done, { once: true });
      });
    } finally {
      this.#held--;
    }
  }

  #update(key: string, change: (c: Counts) => void): void {
    const c = this.#decayed(key, this.now());
    change(c);
    this.#keys.delete(key); // re-inserted last: the map's order is least recently seen first
    this.#keys.set(key, c);
    if (this.#keys.size > MAX_KEYS) this.#keys.delete(this.#keys.keys().next().value as string);
  }

  #decayed(key: string, t: number): Counts {
    const c = this.#keys.get(key);
    if (!c) return { answered: 0, refused: 0, at: t, concurrentAt: -Infinity };
    const f = Math.exp(-(t - c.at) / (WINDOW_S * 1000));
    return { answered: c.answered * f, refused: c.refused * f, at: t, concurrentAt: c.concurrentAt };
  }
}
