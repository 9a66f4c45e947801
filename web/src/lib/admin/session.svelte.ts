// The logged-in user of the admin API. Every admin call of the pages goes through `call()`, so a session that
// ends meanwhile (expired, logged out elsewhere, password changed) sends the user back to the log-in form.
import { ApiError } from '../api/errors.js';
import { adminFetch } from './client.js';
import type { AdminSettings, AdminUser } from './types.js';

/** loading: asking the server; unavailable: the server has no admin API (keys are pasted on Connect). */
export type SessionState = 'loading' | 'unavailable' | 'anonymous' | 'user';

export class AdminSession {
  state = $state<SessionState>('loading');
  user = $state<AdminUser | undefined>();
  settings = $state<AdminSettings>({ email_enabled: false, signup_enabled: true });
  /** Set when a call found the session gone; the log-in form says so. */
  expired = $state(false);

  /** Reads the server's settings and who is logged in. */
  async load(): Promise<void> {
    try {
      const s = await adminFetch<AdminSettings>('GET', 'settings');
      if (typeof s?.signup_enabled !== 'boolean') throw new Error('not the admin API');
      this.settings = s;
    } catch {
      this.state = 'unavailable';
      return;
    }
    try {
      this.#loggedIn(await adminFetch<AdminUser>('GET', 'me'));
    } catch {
      this.state = 'anonymous';
    }
  }

  /** An admin call on behalf of the user; a 401 ends the session here too. */
  async call<T>(method: string, path: string, json?: unknown): Promise<T> {
    try {
      return await adminFetch<T>(method, path, json);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && this.user) {
        this.user = undefined;
        this.state = 'anonymous';
        this.expired = true;
      }
      throw err;
    }
  }

  async login(email: string, password: string): Promise<void> {
    const r = await adminFetch<{ user: AdminUser }>('POST', 'login', { email, password });
    this.#loggedIn(r.user);
  }

  /** Creates the account; resolves true when the address must be confirmed before logging in. */
  async signUp(input: { email: string; password: string; first_name: string; last_name: string }) {
    const r = await adminFetch<{ user: AdminUser; confirmation_required: boolean }>('POST', 'signup', input);
    if (!r.confirmation_required) this.#loggedIn(r.user);
    return r.confirmation_required;
  }

  async logout(): Promise<void> {
    try {
      await adminFetch('POST', 'logout');
    } finally {
      this.user = undefined;
      this.state = 'anonymous';
      this.expired = false;
    }
  }

  #loggedIn(user: AdminUser): void {
    this.user = user;
    this.state = 'user';
    this.expired = false;
  }
}
