// The suites that need a tool skip themselves where it is missing (a developer's machine without Chromium or
// HAProxy), so a CI run without the tool would pass with those suites silently skipped. `.ci/run` installs them
// and sets VISOR_CI_REQUIRES_TOOLS=1: there, a missing tool fails this test instead.
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { CHROMIUM, HAVE_CHROMIUM } from '../web/browser.js';

it.runIf(process.env.VISOR_CI_REQUIRES_TOOLS === '1')(
  'CI has every tool a suite would otherwise skip without (Chromium, HAProxy)',
  () => {
    expect(HAVE_CHROMIUM, `${CHROMIUM} (the browser suites)`).toBe(true);
    expect(spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status, 'haproxy (cluster.test.ts)').toBe(0);
  },
);
