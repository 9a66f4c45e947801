// State of the face-collection manager for one recognition service: subjects (with their counts and face-crop
// avatars), the examples page being shown, the example open in the lightbox and the examples selected for bulk
// deletion. Every failure lands in `error` as a UiError.
import { SvelteSet } from 'svelte/reactivity';
import * as api from '../api/recognition.js';
import { ApiError, toUiError, type UiError } from '../api/errors.js';
import type { Connection, FaceExample } from '../api/types.js';
import { ExampleFaces } from './example-faces.js';
import { SubjectSummaries } from './summaries.svelte.js';

/**
 * Longest side of the example tiles' thumbnails. A tile is a square of 7.5 to 15 rem (the grid's columns) showing
 * the photo cropped to fill it, so the photo's SHORTER side spans the tile: 384 gives a 3:2 photo 256 pixels there,
 * about twice a phone's 130-pixel tile, in some 20 KB instead of the photo's megabytes.
 */
const TILE_THUMBNAIL = 384;

const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

export class CollectionStore {
  subjects = $state<string[]>([]);
  search = $state('');
  /** The subject whose examples are shown; undefined = every subject. */
  selected = $state<string | undefined>(undefined);
  examples = $state<FaceExample[]>([]);
  page = $state(0);
  readonly pageSize = 24;
  totalPages = $state(0);
  totalExamples = $state(0);
  /** image_ids ticked for bulk deletion. */
  readonly ticked = new SvelteSet<string>();
  loading = $state(false);
  error = $state<UiError | undefined>(undefined);
  /** A short confirmation of the last successful change, for a polite live region. */
  status = $state('');
  /** The server does not know the key (replaced or its service deleted): nothing else here can work. */
  deadKey = $state(false);
  /** The example shown in the lightbox. */
  viewing = $state<FaceExample | undefined>(undefined);
  readonly faces: ExampleFaces;
  readonly summaries: SubjectSummaries;

  readonly filtered = $derived(
    this.search.trim()
      ? this.subjects.filter((s) => s.toLowerCase().includes(this.search.trim().toLowerCase()))
      : this.subjects,
  );

  constructor(readonly conn: Connection) {
    this.faces = new ExampleFaces(conn);
    this.summaries = new SubjectSummaries(conn, this.faces);
  }

  dispose(): void {
    this.faces.dispose();
  }

  /** Opens the lightbox on the example `offset` places from the one shown (wrapping within the page). */
  step(offset: number): void {
    const i = this.examples.findIndex((f) => f.image_id === this.viewing?.image_id);
    const n = this.examples.length;
    if (i >= 0 && n) this.viewing = this.examples[(i + offset + n) % n];
  }

  private fail(action: string, err: unknown): void {
    this.error = toUiError(action, err, 'recognition');
    this.status = '';
    this.deadKey = err instanceof ApiError && err.code === 10;
    // A stale list is the usual cause of "not found": show the server's truth.
    if (err instanceof ApiError && (err.code === 42 || err.code === 44)) void this.refresh();
  }

  private done(message: string): void {
    this.error = undefined;
    this.status = message;
  }

  /** Reloads subjects and the current examples page. */
  async refresh(): Promise<void> {
    await Promise.all([this.loadSubjects(), this.loadExamples(this.page)]);
  }

  async loadSubjects(): Promise<void> {
    try {
      const subjects = (await api.listSubjects(this.conn)).sort((a, b) => a.localeCompare(b));
      this.summaries.drop([...this.summaries.bySubject.keys()].filter((s) => !subjects.includes(s)));
      this.subjects = subjects;
      if (this.selected !== undefined && !this.subjects.some((s) => same(s, this.selected!)))
        this.selected = undefined;
    } catch (err) {
      this.fail('Loading the subjects', err);
    }
  }

  async loadExamples(page = 0): Promise<void> {
    this.loading = true;
    try {
      const res = await api.listExamples(this.conn, { page, size: this.pageSize, subject: this.selected });
      if (res.faces.length === 0 && page > 0 && page >= res.total_pages)
        return this.loadExamples(Math.max(0, res.total_pages - 1));
      this.examples = res.faces;
      if (this.viewing && !res.faces.some((f) => f.image_id === this.viewing?.image_id))
        this.viewing = undefined;
      this.page = res.page_number;
      this.totalPages = res.total_pages;
      this.totalExamples = res.total_elements;
      for (const id of [...this.ticked])
        if (!res.faces.some((f) => f.image_id === id)) this.ticked.delete(id);
    } catch (err) {
      this.fail('Loading the examples', err);
    } finally {
      this.loading = false;
    }
  }

  async select(subject: string | undefined): Promise<void> {
    this.selected = subject;
    this.ticked.clear();
    await this.loadExamples(0);
  }

  /** Adds a subject; answers false (and sets `error`) when it could not. */
  async add(name: string): Promise<boolean> {
    const subject = name.trim();
    if (!subject) {
      this.error = {
        action: 'Adding a subject',
        message: 'The name is empty.',
        hint: 'Type a name of 1 to 50 characters.',
      };
      return false;
    }
    try {
      await api.addSubject(this.conn, subject);
      await this.loadSubjects();
      this.done(`Subject ${subject} added.`);
      return true;
    } catch (err) {
      this.fail(`Adding subject ${subject}`, err);
      return false;
    }
  }

  /** The existing subject `to` would merge into, if any (names compare case-insensitively). */
  mergeTarget(from: string, to: string): string | undefined {
    return this.subjects.find((s) => same(s, to.trim()) && !same(s, from));
  }

  async rename(from: string, to: string): Promise<boolean> {
    const target = to.trim();
    if (!target) {
      this.error = {
        action: `Renaming ${from}`,
        message: 'The new name is empty.',
        hint: 'Type a name of 1 to 50 characters.',
      };
      return false;
    }
    const merged = this.mergeTarget(from, target);
    try {
      await api.renameSubject(this.conn, from, target);
      if (this.selected !== undefined && same(this.selected, from)) this.selected = merged ?? target;
      this.summaries.drop([from]);
      if (merged) this.summaries.refresh([merged]);
      await this.refresh();
      this.done(merged ? `${from} merged into ${merged}.` : `${from} renamed to ${target}.`);
      return true;
    } catch (err) {
      this.fail(`Renaming ${from}`, err);
      return false;
    }
  }

  async remove(subject: string): Promise<void> {
    try {
      await api.deleteSubject(this.conn, subject);
      if (this.selected !== undefined && same(this.selected, subject)) this.selected = undefined;
      await this.refresh();
      this.done(`Subject ${subject} and its examples deleted.`);
    } catch (err) {
      this.fail(`Deleting subject ${subject}`, err);
    }
  }

  toggle(imageId: string, on: boolean): void {
    if (on) this.ticked.add(imageId);
    else this.ticked.delete(imageId);
  }

  tickPage(on: boolean): void {
    for (const f of this.examples) this.toggle(f.image_id, on);
  }

  async deleteTicked(): Promise<void> {
    const ids = [...this.ticked];
    if (!ids.length) return;
    try {
      const deleted = await api.deleteExamples(this.conn, ids);
      this.ticked.clear();
      this.faces.forget(ids);
      this.summaries.refresh([...new Set(deleted.map((d) => d.subject))]);
      await this.refresh();
      this.done(`${deleted.length} example${deleted.length === 1 ? '' : 's'} deleted.`);
    } catch (err) {
      this.fail(`Deleting ${ids.length} example${ids.length === 1 ? '' : 's'}`, err);
    }
  }

  async deleteAllOf(subject: string): Promise<void> {
    try {
      const { deleted } = await api.deleteExamplesOf(this.conn, subject);
      this.ticked.clear();
      this.summaries.refresh([subject]);
      await this.loadExamples(0);
      this.done(`${deleted} example${deleted === 1 ? '' : 's'} of ${subject} deleted.`);
    } catch (err) {
      this.fail(`Deleting the examples of ${subject}`, err);
    }
  }

  /** The example's tile image: a server-made thumbnail, not the photo (often 20–36 megapixels). */
  tileUrl(imageId: string): string {
    return api.exampleImageUrl(this.conn, imageId, TILE_THUMBNAIL);
  }
}
