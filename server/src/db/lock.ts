// The PGlite data folder's owner lock: one process opens a folder at a time. Two files: `visor.lock`, created
// exclusively, says who holds it; `visor.sock` is a Unix socket the holder listens on while it runs. The socket is
// the liveness test: the kernel refuses connections to it from the moment the holder dies, however it died, and
// PIDs play no part (a restarted container usually hands the next run the same PID, and a PID means nothing in
// another PID namespace; a second container sharing the folder connects fine). A lock whose socket refuses and
// whose recorded process is gone (PID, boot id and the process's start time on Linux) is stale and is taken over
// with a log line. Where no socket can be made (a path over the socket limit, a file system without sockets) the
// recorded process alone decides.
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, rmSync, renameSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Thrown when another live process already holds the PGlite directory. */
export class DatabaseLocked extends Error {
  constructor(dir: string, pid: number, host?: string) {
    super(
      `the embedded database ${dir} is in use by process ${pid}${host ? ` on ${host}` : ''}; stop it first, or set DATABASE_URL to share a PostgreSQL server`,
    );
    this.name = 'DatabaseLocked';
  }
}

/** What `visor.lock` records (an older Visor wrote the bare PID). */
interface Holder {
  pid: number;
  /** Random per lock: tells this run's lock from the last one's. */
  startId?: string;
  bootId?: string;
  /** Start time of the process in clock ticks after boot (/proc/PID/stat field 22), Linux only. */
  procStart?: string;
  host?: string;
  startedAt?: string;
  /** Whether the holder listens on visor.sock. */
  socket?: boolean;
}

export type LockLog = (message: string, fields: Record<string, unknown>) => void;

/** Folders locked by this process (a second open in the same process is refused, not taken over). */
const held = new Set<string>();
/** sun_path is 108 bytes on Linux, 104 on macOS, including the terminating NUL. */
const MAX_SOCKET_PATH = 103;

const readText = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};
const bootId = () => readText('/proc/sys/kernel/random/boot_id')?.trim();
const procStart = (pid: number) => {
  const stat = readText(`/proc/${pid}/stat`); // "pid (comm) state ppid …": field 22 is the 20th after "comm"
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
};

function readHolder(file: string): Holder | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(text)) return { pid: Number(text) };
  try {
    const h = JSON.parse(text) as Holder;
    return Number.isInteger(h.pid) ? h : { pid: 0 };
  } catch {
    return { pid: 0 }; // unreadable (a crash mid-write): no live process behind it
  }
}

/** Whether the process the lock names still runs: same boot, PID alive and, on Linux, started at the same tick. */
function processAlive(h: Holder): boolean {
  if (h.pid <= 0 || h.pid === process.pid) return false; // our PID, but not our lock: a previous run's
  const boot = bootId();
  if (h.bootId && boot && h.bootId !== boot) return false;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = procStart(h.pid);
  return !(h.procStart && started && started !== h.procStart);
}

/** Connects to the holder's socket: true when something listens there. */
function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(path);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function holderAlive(h: Holder, sock: string): Promise<boolean> {
  if (h.socket && (await socketAnswers(sock))) return true;
  // No answer: dead, or a holder between creating visor.lock and listening (then its process is alive).
  return processAlive(h);
}

/** Moves a stale lock aside; puts it back if, in between, it turned out to be someone else's fresh one. */
function takeOver(file: string, stale: Holder, me: string): boolean {
  const aside = `${file}.${me}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return false;
  }
  const moved = readHolder(aside);
  const same = moved?.pid === stale.pid && moved.startId === stale.startId;
  if (!same) {
    try {
      linkSync(aside, file);
    } catch {
      // someone else holds it now; they keep it
    }
  }
  rmSync(aside, { force: true });
  return same;
}

function listen(sock: string): Promise<Server | undefined> {
  if (Buffer.byteLength(sock) > MAX_SOCKET_PATH) return Promise.resolve(undefined);
  rmSync(sock, { force: true }); // a dead holder's (we hold visor.lock)
  return new Promise((resolve) => {
    const server = createServer((c) => c.destroy());
    server.once('error', () => resolve(undefined));
    server.listen(sock, () => (server.unref(), resolve(server)));
  });
}

/**
 * Takes the lock on `dir` (taking over a stale one, reported through `log`); resolves to the release function.
 * Throws `DatabaseLocked` when a live process holds it.
 */
export async function lockDataDir(dir: string, log: LockLog): Promise<() => void> {
  const file = join(dir, 'visor.lock');
  const sock = join(dir, 'visor.sock');
  if (held.has(dir)) throw new DatabaseLocked(dir, process.pid, hostname());
  const me: Holder = {
    pid: process.pid,
    startId: randomUUID(),
    bootId: bootId(),
    procStart: procStart(process.pid),
    host: hostname(),
    startedAt: new Date().toISOString(),
    socket: true,
  };
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const other = readHolder(file);
      if (!other) continue; // released meanwhile
      if (await holderAlive(other, sock)) throw new DatabaseLocked(dir, other.pid, other.host);
      if (takeOver(file, other, me.startId!))
        log('took over a stale database lock', { dir, previous: other });
      continue;
    }
    const server = await listen(sock);
    if (!server) {
      writeFileSync(file, JSON.stringify({ ...me, socket: false }));
      log('database lock without a socket: liveness falls back to the recorded process', { dir, sock });
    }
    held.add(dir);
    return () => {
      held.delete(dir);
      server?.close();
      if (readHolder(file)?.startId === me.startId) rmSync(file, { force: true });
    };
  }
  throw new DatabaseLocked(dir, readHolder(file)?.pid ?? 0);
}
