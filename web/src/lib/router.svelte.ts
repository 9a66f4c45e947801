// A small hash router: `#/connect`, `#/collection`, `#/test`. Hash URLs need no server help and survive the
// service worker's offline shell; page changes move focus to the new page's heading for screen readers.

export const ROUTES = ['connect', 'collection', 'test', 'kiosk'] as const;
export type RouteName = (typeof ROUTES)[number];

function parse(hash: string): RouteName | undefined {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (ROUTES as readonly string[]).includes(name) ? (name as RouteName) : undefined;
}

export class Router {
  /** The current page; undefined for `#/` or an unknown hash (the app picks a default). */
  current = $state<RouteName | undefined>(undefined);
  /** True for a hash that names no page. */
  unknown = $state(false);

  constructor() {
    this.read();
    window.addEventListener('hashchange', () => this.read());
  }

  private read(): void {
    const hash = window.location.hash;
    this.current = parse(hash);
    this.unknown = this.current === undefined && hash !== '' && hash !== '#' && hash !== '#/';
  }

  go(name: RouteName): void {
    window.location.hash = `#/${name}`;
  }

  href(name: RouteName): string {
    return `#/${name}`;
  }
}
