// Test page: enrols each `enrol=Name:/photos/file.jpg` photo into the collection with the browser engine (as a
// device example, through web/src/lib/db), and adds the vectors of `examples=/url.json` (ready embeddings, e.g. the
// server engine's), then mounts the kiosk on it (`loop=` picks the kiosk's loop).
import { mount } from 'svelte';
import KioskPage from '../../../web/src/kiosk/KioskPage.svelte';
import { addDeviceExample } from '../../../web/src/lib/db/examples.js';
import { BrowserEngine } from '../../../web/src/lib/inference/browser-engine.js';
import '../../../web/src/app.css';

const params = new URLSearchParams(location.search);
const collection = params.get('collection') ?? 'track-test';
const setup = document.getElementById('setup')!;

/** What `examples=` points to: embeddings of the embedder `model` (its key, as engines give embedderId). */
export interface GivenExamples {
  model: string;
  examples: { subject: string; embedding: number[] }[];
}

async function enrol(): Promise<void> {
  const given = params.get('examples');
  if (given) {
    const { model, examples } = (await (await fetch(given)).json()) as GivenExamples;
    for (const { subject, embedding } of examples)
      await addDeviceExample({ collection, subject, embedding: Float32Array.from(embedding), model });
  }
  if (!params.has('enrol')) return;
  const engine = await BrowserEngine.create();
  try {
    for (const spec of params.getAll('enrol')) {
      const [subject, url] = spec.split(':');
      const blob = await (await fetch(url)).blob();
      const r = await engine.analyzeBitmap(await createImageBitmap(blob), { embed: true, limit: 1 });
      const embedding = r.faces[0]?.embedding;
      if (!embedding) throw new Error(`no face in ${url}`);
      await addDeviceExample({ collection, subject, embedding, model: engine.embedderId });
    }
  } finally {
    await engine.dispose();
  }
}

enrol().then(
  () => {
    setup.textContent = 'enrolled';
    mount(KioskPage, {
      target: document.getElementById('app')!,
      props: { collection, threshold: Number(params.get('threshold') ?? 0.5) },
    });
  },
  (e: unknown) => (setup.textContent = `failed: ${(e as Error).message}`),
);
