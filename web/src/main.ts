// Entry point: mounts the app and registers the service worker.
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { PwaState } from './lib/pwa.svelte.js';

const pwa = new PwaState();
pwa.register(import.meta.env.PROD);

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
export default mount(App, { target, props: { pwa } });
