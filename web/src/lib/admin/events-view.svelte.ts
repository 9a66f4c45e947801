// State of the kiosk events page: the filter form, the page of events the server answered for it, the total
// with and without the filter, and the CSV export of what the filter selects. A newer request supersedes an
// older one still in flight, so typing fast never shows an older answer last.
import { isAbort } from '../api/client.js';
import { toUiError, type UiError } from '../api/errors.js';
import type { Connection } from '../api/types.js';
import {
  eventsCsv,
  filterProblem,
  isFiltered,
  loadEvents,
  PAGE_SIZE,
  type EventFilter,
  type KioskEvent,
} from './events.js';

export class EventsView {
  filter = $state<EventFilter>({ subject: '', device: '', from: '', to: '' });
  events = $state<KioskEvent[] | undefined>();
  /** Events the filter selects (all pages). */
  total = $state(0);
  /** Events of the service, whatever the filter (known once an unfiltered page was loaded). */
  all = $state<number | undefined>();
  devices = $state<string[]>([]);
  offset = $state(0);
  loading = $state(false);
  /** The filter changed and its answer has not arrived yet (the figures shown are the previous filter's). */
  pending = $state(false);
  exporting = $state(false);
  error = $state<UiError | undefined>();
  problem = $state<string | undefined>();
  readonly pageSize = PAGE_SIZE;
  #controller: AbortController | undefined;

  constructor(readonly conn: Connection) {}

  /** Loads the page at `offset` of the current filter. */
  async load(offset = 0): Promise<void> {
    this.problem = filterProblem(this.filter);
    if (this.problem) {
      this.pending = false;
      return;
    }
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    const filter = $state.snapshot(this.filter);
    this.loading = true;
    try {
      const page = await loadEvents(this.conn, filter, { offset }, controller.signal);
      this.events = page.events;
      this.total = page.total;
      this.offset = page.offset;
      this.devices = page.devices;
      if (!isFiltered(filter)) this.all = page.total;
      this.error = undefined;
    } catch (err) {
      if (!isAbort(err)) this.error = toUiError('Loading the kiosk events', err, 'recognition');
    } finally {
      if (this.#controller === controller) this.loading = this.pending = false;
    }
  }

  /** The CSV of every event the filter selects. */
  async csv(): Promise<Blob | undefined> {
    this.exporting = true;
    try {
      return await eventsCsv(this.conn, $state.snapshot(this.filter));
    } catch (err) {
      this.error = toUiError('Exporting the kiosk events', err, 'recognition');
      return undefined;
    } finally {
      this.exporting = false;
    }
  }

  stop(): void {
    this.#controller?.abort();
  }
}
