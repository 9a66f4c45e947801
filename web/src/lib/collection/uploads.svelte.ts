// Uploads many example photos at once: a few in flight, per-file progress and outcome, and Stop, which
// aborts the files in flight and leaves the queued ones unsent.
import { addExample } from '../api/recognition.js';
import { isAbort } from '../api/client.js';
import { toUiError, type UiError } from '../api/errors.js';
import type { Connection } from '../api/types.js';

export type UploadState = 'queued' | 'uploading' | 'done' | 'failed' | 'stopped';

export interface UploadItem {
  id: number;
  file: File;
  subject: string;
  state: UploadState;
  /** 0..1 of the bytes sent. */
  progress: number;
  error?: UiError;
}

const CONCURRENCY = 3;

export class UploadQueue {
  items = $state<UploadItem[]>([]);
  running = $state(false);
  #controller: AbortController | undefined;
  #nextId = 0;

  readonly counts = $derived({
    done: this.items.filter((i) => i.state === 'done').length,
    failed: this.items.filter((i) => i.state === 'failed').length,
    stopped: this.items.filter((i) => i.state === 'stopped').length,
    total: this.items.length,
  });

  constructor(
    private readonly conn: Connection,
    /** Called after each successful upload (to refresh the collection). */
    private readonly onUploaded: () => void,
  ) {}

  /** Queues `files` as examples of `subject` and uploads them; resolves when all are settled or stopped. */
  async start(files: File[], subject: string, detProbThreshold?: number): Promise<void> {
    if (this.running) return;
    this.items = files.map((file) => ({ id: this.#nextId++, file, subject, state: 'queued', progress: 0 }));
    const controller = new AbortController();
    this.#controller = controller;
    this.running = true;
    // Items are read back through `this.items` so that mutations go through the $state proxy.
    let next = 0;
    const worker = async () => {
      while (!controller.signal.aborted && next < this.items.length) {
        const item = this.items[next++];
        item.state = 'uploading';
        try {
          await addExample(this.conn, item.subject, item.file, {
            detProbThreshold,
            signal: controller.signal,
            onProgress: (f) => (item.progress = f),
          });
          item.progress = 1;
          item.state = 'done';
          this.onUploaded();
        } catch (err) {
          if (isAbort(err)) item.state = 'stopped';
          else {
            item.state = 'failed';
            item.error = toUiError(`Uploading ${item.file.name}`, err, 'recognition');
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, this.items.length) }, worker));
    for (const item of this.items) if (item.state === 'queued') item.state = 'stopped';
    this.running = false;
    this.#controller = undefined;
  }

  stop(): void {
    this.#controller?.abort();
  }

  clear(): void {
    if (!this.running) this.items = [];
  }
}
