// A one-line progress bar on stderr for the long CLI commands (detect/embed/compare over folders, import):
// drawn only when stderr is a terminal (or when asked), redrawn at most ten times a second, cleared at the end
// so stdout's JSON lines stay untouched.

export interface Progress {
  /** One more item done (`failed` counts it among the failures shown). */
  tick(failed?: boolean): void;
  /** Erases the bar. */
  done(): void;
}

export interface ProgressOptions {
  /** Draw even when stderr is not a terminal (`--progress`); false never draws (`--no-progress`). */
  enabled?: boolean;
  label?: string;
  stream?: NodeJS.WriteStream;
  now?: () => number;
}

const WIDTH = 28;

const clock = (seconds: number) => {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m >= 60
    ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`
    : `${m}:${String(s % 60).padStart(2, '0')}`;
};

/** The bar's text for `done` of `total` items after `elapsed` seconds: `label [#####-----] 40/100 40% 3.1/s ETA 0:19`. */
export function renderProgress(
  label: string,
  done: number,
  total: number,
  failed: number,
  elapsed: number,
): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * WIDTH);
  const rate = elapsed > 0 ? done / elapsed : 0;
  const eta = rate > 0 ? clock((total - done) / rate) : '?';
  const failures = failed ? ` ${failed} failed` : '';
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${done}/${total} ${Math.floor(share * 100)}% ${rate.toFixed(1)}/s ETA ${eta}${failures}`;
}

/** A progress bar for `total` items; a no-op unless stderr is a terminal or `enabled` is true. */
export function progressBar(total: number, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const enabled = opts.enabled ?? Boolean(stream.isTTY);
  if (!enabled) return { tick: () => undefined, done: () => undefined };
  const now = opts.now ?? (() => performance.now() / 1000);
  const label = opts.label ?? 'visor';
  const started = now();
  let done = 0;
  let failed = 0;
  let drawnAt = -Infinity;
  const draw = () => {
    drawnAt = now();
    stream.write(`\r${renderProgress(label, done, total, failed, drawnAt - started)}\x1b[K`);
  };
  draw();
  return {
    tick(f = false) {
      done++;
      if (f) failed++;
      if (done === total || now() - drawnAt >= 0.1) draw();
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
