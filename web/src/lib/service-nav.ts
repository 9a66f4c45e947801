// One navigation model: applications → service → its pages. A service's pages (dashboard, collection, test,
// kiosk, kiosk events, settings) carry the application and service ids in the address
// (`#/test/<appId>/<serviceId>`), so each can be bookmarked and reloaded; a key pasted on Connect (no account)
// has the pages that need only the key (`#/collection`, `#/test`, `#/kiosk`).
import type { ServiceType } from './api/types.js';
import type { RouteName } from './router.svelte.js';

export type ServiceTab = 'dashboard' | 'collection' | 'test' | 'kiosk' | 'events' | 'settings';

/** The service an address names. */
export interface ServiceRef {
  appId: string;
  serviceId: string;
}

export interface TabLink {
  tab: ServiceTab;
  label: string;
  route: RouteName;
  params: string[];
}

/** The pages that act on a service: the three a key alone allows, and those of the admin API. */
const KEY_PAGES: readonly RouteName[] = ['collection', 'test', 'kiosk'];
const SERVICE_PAGES: readonly RouteName[] = [...KEY_PAGES, 'service', 'events'];

/** The service named by a page's address (`#/<route>/<appId>/<serviceId>[/…]`), if it names one. */
export function serviceRef(route: RouteName | undefined, params: string[]): ServiceRef | undefined {
  if (!route || !SERVICE_PAGES.includes(route)) return undefined;
  const [appId, serviceId] = params;
  return appId && serviceId ? { appId, serviceId } : undefined;
}

/** Whether `route` is a page that a pasted key alone can open (no account needed). */
export const isKeyPage = (route: RouteName | undefined): boolean => !!route && KEY_PAGES.includes(route);

/** The tab a page is, given its route and the path after the ids (`#/service/a/s/settings` → settings). */
export function currentTab(route: RouteName, params: string[]): ServiceTab | undefined {
  if (route === 'service') return params[2] === 'settings' ? 'settings' : 'dashboard';
  return route === 'collection' || route === 'test' || route === 'kiosk' || route === 'events'
    ? route
    : undefined;
}

/**
 * The tabs of a service of type `type`: with `ref` (reached through its application) every page the admin API
 * offers for it; without (a pasted key) the pages a key alone allows. Collections, the kiosk and its events
 * belong to recognition services; detection services have no settings.
 */
export function serviceTabs(type: ServiceType, ref?: ServiceRef): TabLink[] {
  const ids = ref ? [ref.appId, ref.serviceId] : [];
  const recognition = type === 'recognition';
  const tabs: (TabLink | false)[] = [
    !!ref && { tab: 'dashboard', label: 'Dashboard', route: 'service', params: ids },
    recognition && { tab: 'collection', label: 'Collection', route: 'collection', params: ids },
    { tab: 'test', label: 'Test', route: 'test', params: ids },
    recognition && { tab: 'kiosk', label: 'Kiosk', route: 'kiosk', params: ids },
    !!ref && recognition && { tab: 'events', label: 'Events', route: 'events', params: ids },
    !!ref &&
      type !== 'detection' && {
        tab: 'settings',
        label: 'Settings',
        route: 'service',
        params: [...ids, 'settings'],
      },
  ];
  return tabs.filter((t): t is TabLink => !!t);
}
