// The service a page's address names (`#/test/<appId>/<serviceId>`): its key, found among the session's keys
// or fetched once from the admin API and handed to the session, and made the key in use, so the header, the
// Collection, Test and Kiosk pages all work on the service the address says.
import type { UiError } from './api/errors.js';
import type { Connection } from './api/types.js';
import { serviceConnection } from './admin/connection.js';
import { adminError } from './admin/errors.js';
import type { AdminSession } from './admin/session.svelte.js';
import type { AdminApp, AdminService } from './admin/types.js';
import type { Connections } from './connections.svelte.js';
import type { ServiceRef } from './service-nav.js';

export class ServiceScope {
  /** The service being opened or open. */
  ref = $state<ServiceRef | undefined>();
  /** Why the service could not be opened (deleted, not a member…). */
  error = $state<UiError | undefined>();
  /** The service's key, once known. */
  readonly connection: Connection | undefined = $derived.by(() => {
    const ref = this.ref;
    return ref
      ? this.connections.list.find((c) => c.serviceId === ref.serviceId && c.app?.id === ref.appId)
      : undefined;
  });
  #loading: string | undefined;

  constructor(
    private readonly session: AdminSession,
    private readonly connections: Connections,
  ) {}

  /** Opens the service `ref` names (the caller checked that a user is logged in). */
  open(ref: ServiceRef): void {
    if (this.ref?.appId !== ref.appId || this.ref.serviceId !== ref.serviceId) {
      this.ref = ref;
      this.error = undefined;
    }
    const known = this.connection;
    if (known) {
      if (this.connections.active?.apiKey !== known.apiKey) this.connections.select(known.apiKey);
      return;
    }
    if (this.error || this.#loading === ref.serviceId) return;
    void this.#fetch(ref);
  }

  async #fetch(ref: ServiceRef): Promise<void> {
    this.#loading = ref.serviceId;
    try {
      const [app, service] = await Promise.all([
        this.session.call<AdminApp>('GET', `apps/${ref.appId}`),
        this.session.call<AdminService>('GET', `apps/${ref.appId}/services/${ref.serviceId}`),
      ]);
      if (this.ref?.serviceId === ref.serviceId) this.connections.use(serviceConnection(app, service));
    } catch (err) {
      if (this.ref?.serviceId === ref.serviceId) this.error = adminError('Opening the service', err);
    } finally {
      if (this.#loading === ref.serviceId) this.#loading = undefined;
    }
  }
}
