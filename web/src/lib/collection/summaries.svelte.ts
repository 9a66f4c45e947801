// Per subject of the list: how many examples it has and a face-crop avatar of its first example. Asked for when
// a row comes into view (one small page of the subject's examples gives both: total_elements and the first
// image_id), a few at a time, and asked again only for the subjects a change touched.
import { SvelteMap } from 'svelte/reactivity';
import { listExamples } from '../api/recognition.js';
import type { Connection } from '../api/types.js';
import type { ExampleFaces } from './example-faces.js';

export interface SubjectSummary {
  count?: number;
  /** Object URL of the face crop; undefined while loading or when no face was found. */
  avatar?: string;
  /** The avatar is settled: shown, or looked for and no face found (or the look failed), or no example to show. */
  settled?: boolean;
  /** The first example, whose face the avatar shows. */
  firstId?: string;
}

const CONCURRENCY = 3;

export class SubjectSummaries {
  readonly bySubject = new SvelteMap<string, SubjectSummary>();
  #queue: string[] = [];
  #queued = new Set<string>();
  #running = 0;

  constructor(
    readonly conn: Connection,
    readonly faces: ExampleFaces,
  ) {}

  /** A row of `subject` is in view: load its summary unless known. */
  want(subject: string): void {
    if (!this.bySubject.has(subject)) this.#enqueue(subject);
  }

  /** The examples of these subjects changed (all known ones when undefined): ask again, keeping what is shown. */
  refresh(subjects?: readonly string[]): void {
    for (const s of subjects ?? [...this.bySubject.keys()]) if (this.bySubject.has(s)) this.#enqueue(s);
  }

  /** Subjects gone (deleted, renamed): forget them. */
  drop(subjects: readonly string[]): void {
    for (const s of subjects) this.bySubject.delete(s);
  }

  #enqueue(subject: string): void {
    if (this.#queued.has(subject)) return;
    if (!this.bySubject.has(subject)) this.bySubject.set(subject, {});
    this.#queued.add(subject);
    this.#queue.push(subject);
    this.#pump();
  }

  #pump(): void {
    while (this.#running < CONCURRENCY && this.#queue.length) {
      const subject = this.#queue.shift()!;
      this.#queued.delete(subject);
      this.#running++;
      void this.#load(subject).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
  }

  async #load(subject: string): Promise<void> {
    try {
      const page = await listExamples(this.conn, { page: 0, size: 1, subject });
      const firstId = page.faces[0]?.image_id;
      const before = this.bySubject.get(subject);
      const keep = before?.firstId === firstId ? before?.avatar : undefined;
      const settled = !firstId || !!keep;
      this.bySubject.set(subject, { count: page.total_elements, firstId, avatar: keep, settled });
      if (settled) return;
      const avatar = await this.faces.avatar(firstId).catch(() => undefined);
      const now = this.bySubject.get(subject);
      if (now?.firstId === firstId) this.bySubject.set(subject, { ...now, avatar, settled: true });
    } catch {
      // the list itself reports failures; a row without a count is enough here
    }
  }
}
