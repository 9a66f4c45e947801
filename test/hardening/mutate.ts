// Seeded mutators for the HTTP fuzz test (issue 19.4): broken images, multipart bodies, JSON bodies, query and
// path values. Every choice comes from one PRNG so a failure reproduces from its seed.
import { rng } from '../search/random.js';
import { syntheticPng } from '../image/png.js';

export interface Rand {
  /** Uniform in [0, 1). */
  next(): number;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seeded(seed: number): Rand {
  const r = rng(seed);
  const next = () => r() + 0.5;
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)], chance: (p) => next() < p };
}

/** Values that broke or could break a parameter parser: not numbers, out of range, overflowing, NUL, odd text. */
const ODD_VALUES = [
  'abc',
  '-1',
  '0',
  '1.5',
  '1e400',
  '-1e400',
  'NaN',
  'Infinity',
  '99999999999999999999',
  '9223372036854775808',
  '-9223372036854775809',
  '0x10',
  '%00',
  'a%00b',
  '%ZZ',
  '%',
  '',
  'true',
  'false',
  'null',
  'age,gender,mask,landmarks,calculator,pose,landmarks2d106,unknown',
  'age,,,,',
  '%E2%80%AE',
  '%F0%9F%98%80',
  '%C0%AF',
  '..%2F..%2Fetc%2Fpasswd',
  '1;drop table examples',
  "'",
  '[]',
  '{}',
];

/** A query or path value: odd, random text, random number, or very long. */
export function oddValue(r: Rand): string {
  // Spaces and other characters a client must escape are sent escaped (Node's client refuses them raw).
  return rawOddValue(r).replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
}

function rawOddValue(r: Rand): string {
  switch (r.int(5)) {
    case 0:
    case 1:
      return r.pick(ODD_VALUES);
    case 2:
      return String((r.next() - 0.5) * 10 ** r.int(30));
    case 3:
      return [...Buffer.from(randomText(r, r.int(40)))]
        .map((b) => `%${b.toString(16).padStart(2, '0')}`)
        .join('');
    default:
      return 'x'.repeat(r.pick([256, 4096, 20_000]));
  }
}

/** Text with the characters parsers and PostgreSQL dislike: NUL, controls, surrogates, quotes, separators. */
export function randomText(r: Rand, length: number): string {
  const alphabet = [
    'a',
    'Z',
    '0',
    ' ',
    '\0',
    '\u0001',
    '\n',
    '"',
    "'",
    '\\',
    '/',
    ';',
    '%',
    '\ud800',
    '😀',
    'é',
  ];
  let s = '';
  for (let i = 0; i < length; i++) s += r.pick(alphabet);
  return s;
}

/** A broken copy of a valid image: truncated, bytes flipped, wrong magic, or a header claiming a huge size. */
export function mutateImage(r: Rand, valid: Uint8Array): { bytes: Uint8Array; how: string } {
  const b = new Uint8Array(valid);
  switch (r.int(8)) {
    case 0:
      return { bytes: b.subarray(0, r.int(b.length)), how: 'truncated' };
    case 1: {
      for (let i = 0, n = 1 + r.int(64); i < n; i++) b[r.int(b.length)] ^= 1 << r.int(8);
      return { bytes: b, how: 'bits flipped' };
    }
    case 2: {
      // Flips inside the first kilobyte, where the headers (IHDR, SOF, BMP/ICO directory) live.
      for (let i = 0, n = 1 + r.int(8); i < n; i++) b[r.int(Math.min(1024, b.length))] = r.int(256);
      return { bytes: b, how: 'header bytes' };
    }
    case 3: {
      const magic = r.pick([
        [0x89, 0x50, 0x4e, 0x47],
        [0xff, 0xd8, 0xff],
        [0x42, 0x4d],
        [0, 0, 1, 0],
        [0x47, 0x49],
      ]);
      b.set(magic, 0);
      return { bytes: b, how: 'wrong magic' };
    }
    case 4: {
      const [w, h] = r.pick([
        [65_535, 65_535],
        [1, 39_999_999],
        [39_999_999, 1],
        [2_147_483_647, 2_147_483_647],
        [0, 0],
        [30_000, 30_000],
      ]);
      return {
        bytes: syntheticPng(w, h, { colourType: r.chance(0.5) ? 2 : 0 }),
        how: `PNG header ${w}x${h}`,
      };
    }
    case 5:
      return { bytes: new Uint8Array(0), how: 'empty' };
    case 6:
      return { bytes: b.subarray(r.int(64)), how: 'head cut' };
    default:
      return { bytes: valid, how: 'valid' };
  }
}

export interface Part {
  name: string;
  filename?: string;
  type?: string;
  data: Uint8Array | string;
}

const enc = new TextEncoder();
const bytesOf = (d: Uint8Array | string) => (typeof d === 'string' ? enc.encode(d) : d);

/** multipart/form-data bytes; the boundary is returned for the content type. */
export function multipart(parts: Part[], boundary = `----visorfuzz${Math.random().toString(16).slice(2)}`) {
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`;
    chunks.push(enc.encode(head), bytesOf(p.data), enc.encode('\r\n'));
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

/** A multipart body for an image route with `fields` (file, or source_image + target_image), mutated. */
export function mutateMultipart(
  r: Rand,
  fields: readonly string[],
  image: () => Uint8Array,
): { body: Uint8Array; type: string; how: string } {
  const parts: Part[] = fields.map((name) => ({ name, filename: r.pick(NAMES), data: image() }));
  const how: string[] = [];
  switch (r.int(9)) {
    case 0:
      parts.push({ ...parts[0] });
      how.push('duplicate field');
      break;
    case 1:
      parts[0].name = r.pick(['files', 'image', 'FILE', '', 'file[]', 'a"b', 'source_image', 'file\0']);
      how.push(`field named ${JSON.stringify(parts[0].name)}`);
      break;
    case 2:
      delete parts[0].filename;
      how.push('text field');
      break;
    case 3:
      parts.splice(0, 1);
      how.push('field missing');
      break;
    case 4:
      parts[0].type = r.pick(['text/plain', 'image/png', 'application/octet-stream', 'x/\0']);
      how.push(`part type ${parts[0].type}`);
      break;
    default:
      how.push('plain');
  }
  const m = multipart(parts);
  let body: Uint8Array = m.body;
  let type = m.type;
  switch (r.int(8)) {
    case 0:
      type = 'multipart/form-data';
      how.push('no boundary');
      break;
    case 1:
      type = 'multipart/form-data; boundary=other';
      how.push('wrong boundary');
      break;
    case 2:
      body = body.subarray(0, r.int(body.length));
      how.push('cut');
      break;
    case 3:
      type = r.pick([
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        '',
        'image/jpeg',
      ]);
      how.push(`sent as ${type || 'no type'}`);
      break;
    default:
  }
  return { body, type, how: how.join(', ') };
}

const NAMES = [
  'e.jpeg',
  'e.png',
  'e',
  'e.exe',
  '',
  'a\0.png',
  '../../e.png',
  'é.webp',
  'x'.repeat(300) + '.png',
];

/** Field names the JSON bodies of the API and the administration read. */
const FIELDS = [
  'subject',
  'file',
  'embeddings',
  'embedding',
  'source',
  'targets',
  'images',
  'image_ids',
  'pairs',
  'source_image',
  'target_image',
  'name',
  'email',
  'password',
  'newPassword',
  'oldPassword',
  'role',
  'type',
  'days',
  'firstName',
  'lastName',
  'first_name',
  'last_name',
  'token',
  'events',
  'cursor',
  'limit',
];

/** A random JSON value of any type, sometimes huge or nested. */
export function randomJson(r: Rand, depth: number, image: () => string): unknown {
  switch (r.int(depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return (r.next() - 0.5) * 10 ** r.int(40);
    case 3:
      return randomText(r, r.int(30));
    case 4:
      return image();
    case 5:
      return r.pick([-1, 0, 1, 1.5, 2 ** 53 + 1, -(2 ** 31), 1e308]);
    case 6:
      return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1, image));
    case 7:
      return Array.from({ length: r.pick([1, 128, 129, 512]) }, () => r.next() - 0.5);
    default: {
      const o: Record<string, unknown> = {};
      for (let i = 0, n = r.int(5); i < n; i++) o[r.pick(FIELDS)] = randomJson(r, depth + 1, image);
      return o;
    }
  }
}

/** A JSON body: an object of known fields with random values, or broken JSON text. */
export function mutateJson(r: Rand, image: () => string): { body: string; how: string } {
  if (r.chance(0.15)) {
    return {
      body: r.pick([
        '',
        '{',
        '{"subject": ',
        '[1,2]',
        'null',
        '"x"',
        '{"a":1}{',
        '\0',
        '{"subject":"\\ud800"}',
      ]),
      how: 'broken JSON',
    };
  }
  const o: Record<string, unknown> = {};
  for (let i = 0, n = 1 + r.int(5); i < n; i++) o[r.pick(FIELDS)] = randomJson(r, 0, image);
  return { body: JSON.stringify(o), how: 'random fields' };
}
