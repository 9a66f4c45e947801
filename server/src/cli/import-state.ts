// What `visor import` has done so far, so a second run carries on: an append-only JSON-lines file, one line per
// source example as soon as it is settled (a torn last line after a crash is ignored). Examples imported or
// skipped for having no face are not tried again; failed ones are.
import { createHash } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';

export type Outcome = 'imported' | 'no_face' | 'failed';

export interface StateLine {
  source_image_id: string;
  subject: string;
  outcome: Outcome;
  /** The example's id in the target (imported). */
  image_id?: string;
  /** Why it failed or was skipped. */
  reason?: string;
}

/** The default state file for one source collection and one target service, named without the keys themselves. */
export function defaultStatePath(from: string, apiKey: string, to: string, toKey: string): string {
  const id = createHash('sha256')
    .update(JSON.stringify([from, apiKey, to, toKey]))
    .digest('hex')
    .slice(0, 12);
  return `visor-import-${id}.jsonl`;
}

export interface ImportState {
  readonly path: string;
  /** Settled earlier (imported or no face): skip on this run. */
  isSettled(sourceImageId: string): boolean;
  record(line: StateLine): Promise<void>;
}

export async function openState(path: string): Promise<ImportState> {
  const settled = new Set<string>();
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  // A line torn by a crash is closed off, so the next record starts on a line of its own.
  if (text && !text.endsWith('\n')) await appendFile(path, '\n');
  for (const raw of text.split('\n')) {
    let line: StateLine;
    try {
      line = JSON.parse(raw) as StateLine;
    } catch {
      continue; // blank, or torn by a crash mid-write
    }
    if (line.outcome === 'failed') settled.delete(line.source_image_id);
    else settled.add(line.source_image_id);
  }
  return {
    path,
    isSettled: (id) => settled.has(id),
    async record(line) {
      await appendFile(path, `${JSON.stringify(line)}\n`);
      if (line.outcome !== 'failed') settled.add(line.source_image_id);
    },
  };
}
