// A small hash router: `#/connect`, `#/test`, `#/app/<id>`, `#/test/<appId>/<serviceId>`… Hash URLs need no server help and
// survive the service worker's offline shell; page changes move focus to the new page's heading for screen readers.
import { ADMIN_ROUTES, hashForEmailLink } from './admin/routes.js';

export const ROUTES = ['connect', 'collection', 'test', 'kiosk', ...ADMIN_ROUTES] as const;
export type RouteName = (typeof ROUTES)[number];

function parse(hash: string): { name?: RouteName; params: string[]; query: URLSearchParams } {
  const [path, search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [name, ...params] = path.split('/');
  const known = (ROUTES as readonly string[]).includes(name) ? (name as RouteName) : undefined;
  return { name: known, params: params.map(decodeURIComponent), query: new URLSearchParams(search) };
}

export class Router {
  /** The current page; undefined for `#/` or an unknown hash (the app picks a default). */
  current = $state<RouteName | undefined>(undefined);
  /** Path segments after the page name (`#/app/<id>` → [id]). */
  params = $state<string[]>([]);
  /** The query after `?` in the hash (`#/reset-password?token=…`). */
  query = $state(new URLSearchParams());
  /** True for a hash that names no page. */
  unknown = $state(false);

  constructor() {
    // Links in e-mails are paths; the server answers them with the app, which shows them as hash pages.
    const emailed = hashForEmailLink(window.location.pathname, window.location.search);
    if (emailed) window.history.replaceState(null, '', emailed);
    this.read();
    window.addEventListener('hashchange', () => this.read());
  }

  private read(): void {
    const hash = window.location.hash;
    const r = parse(hash);
    this.current = r.name;
    this.params = r.params;
    this.query = r.query;
    this.unknown = this.current === undefined && hash !== '' && hash !== '#' && hash !== '#/';
  }

  go(name: RouteName, ...params: string[]): void {
    window.location.hash = this.href(name, ...params);
  }

  /** Shows `name` in place of the current address (no history entry: the address just names it better). */
  replace(name: RouteName, ...params: string[]): void {
    window.history.replaceState(null, '', this.href(name, ...params));
    this.read();
  }

  href(name: RouteName, ...params: string[]): string {
    return ['#', name, ...params.map(encodeURIComponent)].join('/');
  }
}
