// The image list of `visor detect|embed|compare`: files as given, directories walked recursively for image
// files (CompreFace's extensions), and paths read from `--files-from FILE` (`-` = stdin), one per line or
// NUL-separated (`find -print0`). Nothing here holds the images: only their paths, in a stable order.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { ALLOWED_EXTENSIONS } from '../http/images.js';

const IMAGE_EXTENSIONS = new Set<string>(ALLOWED_EXTENSIONS.map((e) => `.${e}`));

/** True when the name ends in an image extension CompreFace accepts (case-insensitive). */
export const isImageName = (name: string) => IMAGE_EXTENSIONS.has(extname(name).toLowerCase());

/** Paths listed in a file (or stdin for `-`): newline- or NUL-separated, blank lines skipped. */
export async function readPathList(source: string, stdin: NodeJS.ReadableStream = process.stdin) {
  let text: string;
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
    text = Buffer.concat(chunks).toString('utf8');
  } else text = await readFile(source, 'utf8');
  return text
    .split(text.includes('\0') ? '\0' : /\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Image files under `dir`, depth first, names sorted; symbolic links to files count, to directories not. */
async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await walk(path, out);
    else if ((e.isFile() || e.isSymbolicLink()) && isImageName(e.name)) out.push(path);
  }
}

/**
 * Expands each path: a directory becomes its image files (recursively), anything else is kept as given, so a
 * missing or unreadable file is reported on its own output line rather than stopping the run.
 */
export async function expandInputs(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) await walk(path, out);
    else out.push(path);
  }
  return out;
}
