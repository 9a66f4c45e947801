// The applications the user sees: list, search by name, create.
import type { UiError } from '../api/errors.js';
import { adminError } from './errors.js';
import type { AdminSession } from './session.svelte.js';
import type { AdminApp } from './types.js';

export class AppsStore {
  list = $state<AdminApp[]>([]);
  loaded = $state(false);
  search = $state('');
  error = $state<UiError | undefined>();
  readonly filtered = $derived.by(() => {
    const q = this.search.trim().toLowerCase();
    return q ? this.list.filter((a) => a.name.toLowerCase().includes(q)) : this.list;
  });

  constructor(private readonly session: AdminSession) {}

  async load(): Promise<void> {
    try {
      const r = await this.session.call<{ applications: AdminApp[] }>('GET', 'apps');
      this.list = r.applications.sort((a, b) => a.name.localeCompare(b.name));
      this.loaded = true;
    } catch (err) {
      this.error = adminError('Loading your applications', err);
    }
  }

  /** Creates an application (the user owns it); resolves with it, or undefined after showing the error. */
  async create(name: string): Promise<AdminApp | undefined> {
    this.error = undefined;
    try {
      const app = await this.session.call<AdminApp>('POST', 'apps', { name });
      this.list = [...this.list, app].sort((a, b) => a.name.localeCompare(b.name));
      return app;
    } catch (err) {
      this.error = adminError(`Creating the application “${name}”`, err, {
        26: 'Give the application a name of 1 to 100 characters.',
      });
      return undefined;
    }
  }
}
