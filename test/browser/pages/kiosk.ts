// Test page: the kiosk component alone, on its own local collection (the lead mounts it in the app's router).
import { mount } from 'svelte';
import KioskPage from '../../../web/src/kiosk/KioskPage.svelte';
import '../../../web/src/app.css';

const params = new URLSearchParams(location.search);
mount(KioskPage, {
  target: document.getElementById('app')!,
  props: {
    collection: params.get('collection') ?? 'test',
    threshold: Number(params.get('threshold') ?? 0.5),
    sync: params.get('key') ? { apiKey: params.get('key')! } : undefined,
    syncEvery: Number(params.get('syncEvery') ?? 30),
    eventGap: Number(params.get('eventGap') ?? 5),
    minLiveness: Number(params.get('minLiveness') ?? 0.5),
  },
});
