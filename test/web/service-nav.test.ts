// The service navigation's plain rules (web/src/lib/service-nav.ts): which service an address names, which page
// of it is current, and which pages each service type has, reached through an application or with a key alone.
import { describe, expect, it } from 'vitest';
import { currentTab, isKeyPage, serviceRef, serviceTabs } from '../../web/src/lib/service-nav.js';

const ref = { appId: 'a1', serviceId: 's1' };
const labels = (tabs: ReturnType<typeof serviceTabs>) => tabs.map((t) => t.label);

describe('service navigation', () => {
  it('reads the service from the address of its pages only', () => {
    expect(serviceRef('test', ['a1', 's1'])).toEqual(ref);
    expect(serviceRef('service', ['a1', 's1', 'settings'])).toEqual(ref);
    expect(serviceRef('events', ['a1', 's1'])).toEqual(ref);
    expect(serviceRef('test', [])).toBeUndefined();
    expect(serviceRef('collection', ['a1'])).toBeUndefined();
    expect(serviceRef('app', ['a1', 's1'])).toBeUndefined();
    expect(serviceRef(undefined, ['a1', 's1'])).toBeUndefined();
    expect(isKeyPage('kiosk')).toBe(true);
    expect(isKeyPage('service')).toBe(false);
  });

  it('marks the dashboard or the settings of the service page, and the other pages by name', () => {
    expect(currentTab('service', ['a1', 's1'])).toBe('dashboard');
    expect(currentTab('service', ['a1', 's1', 'settings'])).toBe('settings');
    expect(currentTab('events', ['a1', 's1'])).toBe('events');
    expect(currentTab('test', [])).toBe('test');
    expect(currentTab('apps', [])).toBeUndefined();
  });

  it('gives each service type its pages, through its application', () => {
    expect(labels(serviceTabs('recognition', ref))).toEqual([
      'Dashboard',
      'Collection',
      'Test',
      'Kiosk',
      'Events',
      'Settings',
    ]);
    expect(labels(serviceTabs('verification', ref))).toEqual(['Dashboard', 'Test', 'Settings']);
    expect(labels(serviceTabs('detection', ref))).toEqual(['Dashboard', 'Test']);
    const settings = serviceTabs('recognition', ref).find((t) => t.tab === 'settings')!;
    expect([settings.route, ...settings.params]).toEqual(['service', 'a1', 's1', 'settings']);
    const test = serviceTabs('recognition', ref).find((t) => t.tab === 'test')!;
    expect([test.route, ...test.params]).toEqual(['test', 'a1', 's1']);
  });

  it('gives a pasted key the pages a key alone allows, with no ids in their addresses', () => {
    expect(labels(serviceTabs('recognition'))).toEqual(['Collection', 'Test', 'Kiosk']);
    expect(labels(serviceTabs('detection'))).toEqual(['Test']);
    expect(serviceTabs('recognition').every((t) => t.params.length === 0)).toBe(true);
  });
});
