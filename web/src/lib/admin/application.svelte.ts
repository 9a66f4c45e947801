// One application's page state: the application, its face services (with keys and collection sizes) and
// its members, and every change the page can make to them. The answer to each change (failure with advice,
// or confirmation) lands in `feedback`, tagged with the control it belongs next to.
import type { Feedback } from '../feedback.js';
import { ADMIN_CODES, adminError } from './errors.js';
import type { AdminSession } from './session.svelte.js';
import type { AdminApp, AdminEmbedder, AdminMember, AdminService, AdminServiceType, Role } from './types.js';
import { canManage, displayName } from './types.js';

export class ApplicationStore {
  app = $state<AdminApp | undefined>();
  services = $state<AdminService[]>([]);
  members = $state<AdminMember[]>([]);
  /** The embedders a new service may use (issue 17.1); empty until loaded or where the server offers none. */
  embedders = $state<AdminEmbedder[]>([]);
  feedback = $state<Feedback | undefined>();
  busy = $state(false);
  readonly manage = $derived(this.app ? canManage(this.app.role) : false);

  /**
   * `onservices` hears every services list the server gives, and the ids of services deleted here (the pages'
   * keys follow new keys and deletions).
   */
  constructor(
    private readonly session: AdminSession,
    readonly id: string,
    private readonly onservices: (app: AdminApp, services: AdminService[], gone: string[]) => void = () => {},
  ) {}

  private path(...parts: string[]): string {
    return ['apps', this.id, ...parts].join('/');
  }

  /** Forgets the answer shown at `at` (the user moved on: typed again, dismissed it). */
  clear(at?: string): void {
    if (!at || this.feedback?.at === at) this.feedback = undefined;
  }

  /**
   * Runs a change and reloads the lists; then shows `done`, or that `action` failed with advice, next to
   * `at` (`doneAt` when the change removed the control).
   */
  private async change(
    action: string,
    run: () => Promise<unknown>,
    done: string,
    at: string,
    { hints = {}, doneAt = at, gone = [] as string[] } = {},
  ) {
    this.busy = true;
    this.feedback = undefined;
    let failure: unknown;
    let ok = true;
    try {
      await run();
    } catch (err) {
      failure = err;
      ok = false;
    }
    await this.load(false, ok ? gone : []);
    this.busy = false;
    this.feedback = ok ? { at: doneAt, text: done } : { at, error: adminError(action, failure, hints) };
    return ok;
  }

  async load(reportErrors = true, gone: string[] = []): Promise<void> {
    try {
      const [app, s, m] = await Promise.all([
        this.session.call<AdminApp>('GET', this.path()),
        this.session.call<{ services: AdminService[] }>('GET', this.path('services')),
        this.session.call<{ members: AdminMember[] }>('GET', this.path('members')),
      ]);
      this.app = app;
      this.services = s.services;
      this.members = m.members;
      this.onservices(app, s.services, gone);
      if (!this.embedders.length)
        this.embedders = (
          await this.session
            .call<{ embedders: AdminEmbedder[] }>('GET', 'embedders')
            .catch(() => ({ embedders: [] }))
        ).embedders;
    } catch (err) {
      if (reportErrors) this.feedback = { at: 'page', error: adminError('Loading the application', err) };
    }
  }

  renameApp(name: string) {
    const before = this.app?.name ?? '';
    return this.change(
      `Renaming “${before}”`,
      () => this.session.call('PUT', this.path(), { name }),
      `Application renamed to “${name}”.`,
      'app-settings',
      { hints: { [ADMIN_CODES.validation]: 'Give the application a name of 1 to 100 characters.' } },
    );
  }

  /** Deletes the application; resolves true when it is gone (its services' keys are then forgotten). */
  async deleteApp(): Promise<boolean> {
    this.busy = true;
    this.feedback = undefined;
    try {
      await this.session.call('DELETE', this.path());
      if (this.app)
        this.onservices(
          this.app,
          [],
          this.services.map((s) => s.id),
        );
      return true;
    } catch (err) {
      this.feedback = { at: 'app-settings', error: adminError(`Deleting “${this.app?.name}”`, err) };
      return false;
    } finally {
      this.busy = false;
    }
  }

  createService(name: string, type: AdminServiceType, embedder?: string) {
    return this.change(
      `Creating the service “${name}”`,
      () =>
        this.session.call('POST', this.path('services'), { name, type, ...(embedder ? { embedder } : {}) }),
      `Service “${name}” created.`,
      'new-service',
      { hints: { [ADMIN_CODES.validation]: 'Give the service a name of 1 to 100 characters.' } },
    );
  }

  renameService(s: AdminService, name: string) {
    return this.change(
      `Renaming “${s.name}”`,
      () => this.session.call('PUT', this.path('services', s.id), { name }),
      `“${s.name}” renamed to “${name}”.`,
      `service-${s.id}`,
    );
  }

  cloneService(s: AdminService) {
    return this.change(
      `Cloning “${s.name}”`,
      () => this.session.call('POST', this.path('services', s.id, 'clone'), { name: `${s.name} copy` }),
      `“${s.name}” cloned as “${s.name} copy”, with a copy of its collection.`,
      `service-${s.id}`,
    );
  }

  regenerateKey(s: AdminService) {
    return this.change(
      `Making a new key for “${s.name}”`,
      () => this.session.call('POST', this.path('services', s.id, 'key')),
      `“${s.name}” has a new API key; the old one no longer works.`,
      `service-${s.id}`,
    );
  }

  deleteService(s: AdminService) {
    return this.change(
      `Deleting “${s.name}”`,
      () => this.session.call('DELETE', this.path('services', s.id)),
      `“${s.name}” deleted with its collection.`,
      `service-${s.id}`,
      { doneAt: 'services', gone: [s.id] },
    );
  }

  invite(email: string, role: Role) {
    return this.change(
      `Inviting ${email}`,
      () => this.session.call('POST', this.path('members'), { email, role }),
      `${email} is now a member.`,
      'invite',
      {
        hints: {
          [ADMIN_CODES.notFound]:
            'They need a Visor account first: ask them to sign up, then invite them again.',
          [ADMIN_CODES.conflict]: 'They are already a member; change their role in the list instead.',
        },
      },
    );
  }

  setRole(m: AdminMember, role: Role) {
    return this.change(
      `Changing the role of ${displayName(m)}`,
      () => this.session.call('PUT', this.path('members', m.user_id), { role }),
      `${displayName(m)} is now ${role.toLowerCase()}.`,
      `member-${m.user_id}`,
      { hints: { [ADMIN_CODES.conflict]: 'An application needs an owner: make someone else owner first.' } },
    );
  }

  removeMember(m: AdminMember) {
    return this.change(
      `Removing ${displayName(m)}`,
      () => this.session.call('DELETE', this.path('members', m.user_id)),
      `${displayName(m)} removed.`,
      `member-${m.user_id}`,
      {
        doneAt: 'members',
        hints: { [ADMIN_CODES.conflict]: 'An application needs an owner: make someone else owner first.' },
      },
    );
  }
}
