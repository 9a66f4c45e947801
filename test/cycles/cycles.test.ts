// The import-cycle check finds a cycle it is shown (TypeScript, type-only, and through a .svelte file's script)
// and none in an acyclic tree, so `npm run check:cycles` can fail.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findCycles, importGraph } from './find.js';

const base = mkdtempSync(join(tmpdir(), 'visor-cycles-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(base, name, file)), { recursive: true });
    writeFileSync(join(base, name, file), text);
  }
  return name;
}

describe('import-cycle check', () => {
  it('finds no cycle in an acyclic tree', async () => {
    const dir = tree('clean', {
      'a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'b.ts': "import { c } from './lib/c.js';\nexport const b = c;\n",
      'lib/c.ts': 'export const c = 1;\n',
      'View.svelte': '<script lang="ts">\n  import { a } from \'./a.js\';\n</script>\n<p>{a}</p>\n',
    });
    const graph = await importGraph(base, [dir]);
    expect(graph['clean/a.ts']).toEqual(['clean/b.ts']);
    expect(graph['clean/View.svelte']).toEqual(['clean/a.ts']);
    expect(findCycles(graph)).toEqual([]);
  });

  it('finds a cycle between TypeScript files, type-only imports included', async () => {
    const dir = tree('ts', {
      'a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'b.ts': "import type { Thing } from './c.js';\nexport const b = (t: Thing) => t;\n",
      'c.ts': "import { a } from './a.js';\nexport type Thing = ReturnType<typeof a>;\n",
    });
    expect(findCycles(await importGraph(base, [dir]))).toEqual([['ts/a.ts', 'ts/b.ts', 'ts/c.ts']]);
  });

  it('finds a cycle that passes through a .svelte component', async () => {
    const dir = tree('svelte', {
      'Card.svelte':
        '<script lang="ts">\n  import { title } from \'./card.svelte.js\';\n</script>\n<h1>{title}</h1>\n',
      'card.svelte.ts': "import Card from './Card.svelte';\nexport const title = 'x';\nexport { Card };\n",
    });
    expect(findCycles(await importGraph(base, [dir]))).toEqual([
      ['svelte/Card.svelte', 'svelte/card.svelte.ts'],
    ]);
  });
});
