// Uploads many example photos at once: a few in flight, each file's state from queued through uploading (bytes
// sent) and processing (the server detects and embeds the face) to done or failed, the overall count, Stop
// (aborts the files in flight, leaves the queued ones unsent) and Retry failed (sends the failed ones again).
import { addExample } from '../api/recognition.js';
import { isAbort } from '../api/client.js';
import { toUiError, type UiError } from '../api/errors.js';
import type { Connection } from '../api/types.js';

export type UploadState = 'queued' | 'uploading' | 'processing' | 'done' | 'failed' | 'stopped';

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
  /** Show only the failed files. */
  failedOnly = $state(false);
  #controller: AbortController | undefined;
  #nextId = 0;
  #threshold: number | undefined;

  readonly counts = $derived({
    queued: this.items.filter((i) => i.state === 'queued').length,
    sending: this.items.filter((i) => i.state === 'uploading').length,
    processing: this.items.filter((i) => i.state === 'processing').length,
    done: this.items.filter((i) => i.state === 'done').length,
    failed: this.items.filter((i) => i.state === 'failed').length,
    stopped: this.items.filter((i) => i.state === 'stopped').length,
    total: this.items.length,
  });

  /** The items the list shows (the failed ones only when `failedOnly`). */
  readonly shown = $derived(this.failedOnly ? this.items.filter((i) => i.state === 'failed') : this.items);

  constructor(
    private readonly conn: Connection,
    /** Called after each successful upload with its subject (to refresh the collection). */
    private readonly onUploaded: (subject: string) => void,
  ) {}

  /** Queues `files` as examples of `subject` and uploads them; resolves when all are settled or stopped. */
  async start(files: File[], subject: string, detProbThreshold?: number): Promise<void> {
    if (this.running) return;
    this.items = files.map((file) => ({ id: this.#nextId++, file, subject, state: 'queued', progress: 0 }));
    this.failedOnly = false;
    this.#threshold = detProbThreshold;
    await this.#run();
  }

  /** Sends the failed files again (same subjects and threshold); resolves when they are settled. */
  async retryFailed(): Promise<void> {
    if (this.running || !this.counts.failed) return;
    for (const item of this.items)
      if (item.state === 'failed') Object.assign(item, { state: 'queued', progress: 0, error: undefined });
    await this.#run();
    if (!this.counts.failed) this.failedOnly = false;
  }

  async #run(): Promise<void> {
    const controller = new AbortController();
    this.#controller = controller;
    this.running = true;
    const detProbThreshold = this.#threshold;
    // Items are read back through `this.items` so that mutations go through the $state proxy.
    const todo = this.items.filter((i) => i.state === 'queued');
    let next = 0;
    const worker = async () => {
      while (!controller.signal.aborted && next < todo.length) {
        const item = todo[next++];
        item.state = 'uploading';
        try {
          await addExample(this.conn, item.subject, item.file, {
            detProbThreshold,
            signal: controller.signal,
            onProgress: (f) => {
              item.progress = f;
              // every byte is sent: the server is detecting and embedding the face now
              if (f >= 1 && item.state === 'uploading') item.state = 'processing';
            },
          });
          item.progress = 1;
          item.state = 'done';
          this.onUploaded(item.subject);
        } catch (err) {
          if (isAbort(err)) item.state = 'stopped';
          else {
            item.state = 'failed';
            item.error = toUiError(`Uploading ${item.file.name}`, err, 'recognition');
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));
    for (const item of this.items) if (item.state === 'queued') item.state = 'stopped';
    this.running = false;
    this.#controller = undefined;
  }

  stop(): void {
    this.#controller?.abort();
  }

  clear(): void {
    if (!this.running) {
      this.items = [];
      this.failedOnly = false;
    }
  }
}
