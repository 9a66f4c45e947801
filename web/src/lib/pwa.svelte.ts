// Registers the service worker (/sw.js) through workbox-window and offers to reload when a new version waits.
import { Workbox } from 'workbox-window';

export class PwaState {
  /** A new version is installed and waiting for the open tabs to go. */
  updateReady = $state(false);
  /** The service worker controls this page (the app shell works offline). */
  offlineReady = $state(false);
  #wb: Workbox | undefined;

  /** Registers /sw.js in production builds only (the dev server serves modules the worker must not cache). */
  register(enabled: boolean): void {
    if (!enabled || !('serviceWorker' in navigator)) return;
    const wb = new Workbox('/sw.js', { scope: '/' });
    wb.addEventListener('waiting', () => (this.updateReady = true));
    wb.addEventListener('controlling', () => {
      if (this.updateReady) window.location.reload();
    });
    wb.addEventListener('activated', () => (this.offlineReady = true));
    this.#wb = wb;
    wb.register()
      .then((reg) => {
        if (reg?.active) this.offlineReady = true;
      })
      .catch((err: unknown) => console.warn('service worker registration failed', err));
  }

  /** Activates the waiting version; the page reloads once it controls it. */
  update(): void {
    this.#wb?.messageSkipWaiting();
  }
}
