// Shared by the demo pages: where the API is and which key to send (kept in localStorage between pages).
export function settings() {
  const server = document.getElementById('server');
  const apiKey = document.getElementById('apiKey');
  server.value = localStorage.getItem('visor.server') || location.origin;
  apiKey.value = localStorage.getItem('visor.apiKey') || '';
  server.addEventListener('change', () => localStorage.setItem('visor.server', server.value.trim()));
  apiKey.addEventListener('change', () => localStorage.setItem('visor.apiKey', apiKey.value.trim()));
  return { base: () => server.value.trim().replace(/\/+$/, ''), key: () => apiKey.value.trim() };
}

export function show(data) {
  document.getElementById('result').textContent = JSON.stringify(data, null, 2);
}
