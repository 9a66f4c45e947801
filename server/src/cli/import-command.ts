// `visor import --from URL --api-key KEY --to-service KEY [--to URL]`: copies a CompreFace (or Visor) face
// collection into a Visor recognition service. Everything goes through the public API on both sides: the source
// is read with GET /subjects, GET /faces pages and GET /faces/{id}/img; the target enrols each image with
// POST /faces?subject=S (it detects and embeds again with its own engine), so the running server's index, image
// store and checks stay the only writers, PGlite included. Resumable through a state file; summary on stdout.
import { loadConfig } from '../config.js';
import { ApiError, recognitionClient, type Example } from './compreface-client.js';
import { defaultStatePath, openState, type StateLine } from './import-state.js';
import { progressBar } from './progress.js';
import { cliCommand } from './program.js';

const SUMMARY =
  'prints one JSON summary line: {"imported", "skipped_no_face", "failed", "already_done", "subjects_created", ...}';

interface ImportOptions {
  from: string;
  apiKey: string;
  to?: string;
  toService: string;
  jobs: string;
  detProbThreshold?: string;
  state?: string;
  progress?: boolean;
}

interface ImportArgs {
  from: string;
  apiKey: string;
  to: string;
  toKey: string;
  jobs: number;
  detProbThreshold: number | undefined;
  state: string | undefined;
  progress: boolean | undefined;
}

const fail = (text: string) => (process.stderr.write(`visor import: ${text}\n`), 2);

/** The checked arguments, or the exit code after saying what is wrong (2). */
function check(values: ImportOptions): ImportArgs | number {
  const to = values.to ?? `http://127.0.0.1:${loadConfig().port}`;
  for (const url of [values.from, to])
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
      return fail(`not an http(s) URL: ${url}`);
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
    return fail('--jobs must be a whole number from 1 to 64');
  const p = values.detProbThreshold;
  const detProbThreshold = p === undefined ? undefined : Number(p);
  if (detProbThreshold !== undefined && !(detProbThreshold >= 0 && detProbThreshold <= 1))
    return fail('--det-prob-threshold must be between 0 and 1');
  const same = (a: string) => new URL(a).origin;
  if (same(values.from) === same(to) && values.apiKey === values.toService)
    return fail('the source and the target are the same service');
  return {
    from: values.from,
    apiKey: values.apiKey,
    to,
    toKey: values.toService,
    jobs,
    detProbThreshold,
    state: values.state,
    progress: values.progress,
  };
}

/** Code 28: no face in the image (CompreFace's and Visor's answer to an enrolment without a face). */
const NO_FACE = 28;
/** Code 43: the subject exists already (another run, or a race with a user). */
const SUBJECT_EXISTS = 43;

/** Copies the collection; 0 when every image was imported or had no face, 1 when some failed. */
async function runImport(a: ImportArgs): Promise<number> {
  const source = recognitionClient(a.from, a.apiKey);
  const target = recognitionClient(a.to, a.toKey);
  const state = await openState(a.state ?? defaultStatePath(a.from, a.apiKey, a.to, a.toKey));

  let subjects: string[];
  let examples: Example[];
  let existing: Set<string>;
  try {
    [subjects, examples] = await Promise.all([source.listSubjects(), source.listExamples()]);
    existing = new Set(await target.listSubjects());
  } catch (e) {
    process.stderr.write(`visor import: ${(e as Error).message}\n`);
    return 1;
  }

  // Every subject, those without examples (or whose examples all fail) included.
  let subjectsCreated = 0;
  const failures: StateLine[] = [];
  for (const subject of new Set([...subjects, ...examples.map((x) => x.subject)])) {
    if (existing.has(subject)) continue;
    try {
      await target.addSubject(subject);
      subjectsCreated++;
    } catch (e) {
      if (!(e instanceof ApiError && e.code === SUBJECT_EXISTS)) {
        process.stderr.write(`visor import: subject ${JSON.stringify(subject)}: ${(e as Error).message}\n`);
        return 1;
      }
    }
  }

  const todo = examples.filter((x) => !state.isSettled(x.image_id));
  const counts = { imported: 0, skipped_no_face: 0, failed: 0 };
  const bar = progressBar(todo.length, { enabled: a.progress, label: 'import' });
  const copy = async (x: Example): Promise<void> => {
    let line: StateLine;
    try {
      const bytes = await source.downloadImage(x.image_id);
      const imageId = await target.addExample(x.subject, bytes, a.detProbThreshold);
      line = { source_image_id: x.image_id, subject: x.subject, outcome: 'imported', image_id: imageId };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const outcome = e.code === NO_FACE && e.message.startsWith('enrol') ? 'no_face' : 'failed';
      line = { source_image_id: x.image_id, subject: x.subject, outcome, reason: e.message };
    }
    await state.record(line);
    if (line.outcome === 'imported') counts.imported++;
    else if (line.outcome === 'no_face') counts.skipped_no_face++;
    else {
      counts.failed++;
      failures.push(line);
    }
    bar.tick(line.outcome === 'failed');
  };
  try {
    let next = 0;
    const lane = async () => {
      while (next < todo.length) await copy(todo[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(a.jobs, todo.length) }, lane));
  } finally {
    bar.done();
  }

  const summary = {
    ...counts,
    already_done: examples.length - todo.length,
    examples: examples.length,
    subjects: subjects.length,
    subjects_created: subjectsCreated,
    state: state.path,
    failures: failures.map((f) => ({ image_id: f.source_image_id, subject: f.subject, reason: f.reason })),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.stderr.write(
    `visor import: ${counts.imported} imported, ${counts.skipped_no_face} skipped (no face), ` +
      `${counts.failed} failed, ${summary.already_done} done before; ${subjectsCreated} subjects created` +
      (counts.failed ? `; run again to retry the failures (${state.path})\n` : '\n'),
  );
  return counts.failed ? 1 : 0;
}

export const importCommand = cliCommand('import', (cmd, exit) => {
  cmd
    .description('copy a CompreFace (or Visor) face collection into a Visor recognition service')
    .requiredOption(
      '--from <url>',
      'the CompreFace or Visor server to copy from (e.g. http://compreface:8000)',
    )
    .requiredOption('--api-key <key>', 'the API key of its recognition service')
    .requiredOption(
      '--to-service <key>',
      'the API key of the Visor recognition service to enrol into (create one: visor service create ' +
        '--type recognition --name N, or in the web app)',
    )
    .option(
      '--to <url>',
      "the Visor server to enrol into (default http://127.0.0.1:$PORT, this machine's server)",
    )
    .option('-j, --jobs <n>', 'images copied at once, 1 to 64', '4')
    .option('--det-prob-threshold <p>', "sent with each enrolment (default: the target's own)")
    .option(
      '--state <file>',
      'progress file (default ./visor-import-<id>.jsonl); a second run skips what it lists as imported or ' +
        'without a face, and retries failures',
    )
    .option('--progress', 'force the progress bar on stderr on')
    .option('--no-progress', 'force it off (default: on when stderr is a terminal)')
    .addHelpText('after', `\n${SUMMARY}`)
    .action(async (values: ImportOptions) => {
      const a = check(values);
      exit(typeof a === 'number' ? a : await runImport(a));
    });
});
