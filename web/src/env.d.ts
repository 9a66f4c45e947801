// Ambient types for the web app: Vite's import.meta.env and asset imports, and .svelte modules.
/// <reference types="vite/client" />
/// <reference types="svelte" />
