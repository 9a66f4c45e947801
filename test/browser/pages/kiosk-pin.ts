// Test page: the kiosk's presentation controls and overlay alone (no camera, no engine), for the PIN tests.
import { mount } from 'svelte';
import KioskPin from './KioskPin.svelte';
import '../../../web/src/app.css';

mount(KioskPin, { target: document.getElementById('app')! });
