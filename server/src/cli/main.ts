// `visor` CLI dispatcher: engine commands (detect, embed, compare), migration (import) and administration
// commands (service, user, app), each parsed by commander (program.ts); a command's module loads when it runs.
import { cliCommand, type CliCommand } from './program.js';

// onnxruntime-node 1.29+ creates its environment with POSIX telemetry on: it matches regular expressions
// (libstdc++'s, which recurse once per character) against the process's command line, so `visor detect` with
// ~500 paths (~30 KB of argv) overflowed the 8 MB stack and died with SIGSEGV before printing anything; the
// same telemetry also uploads usage events to Microsoft. Off before any model loads; workers inherit it.
process.env.ORT_DISABLE_TELEMETRY ??= '1';

/** The commands, loaded on use (the engine commands start inference workers; the others open the database). */
const commands: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  detect: {
    summary: 'one JSON line per image: faces with box and landmarks (files, folders, --files-from, --jobs)',
    load: () => import('./engine-commands.js').then((m) => m.detectCommand),
  },
  embed: {
    summary: "same, with each face's embedding",
    load: () => import('./engine-commands.js').then((m) => m.embedCommand),
  },
  compare: {
    summary: "similarity of each image's biggest face to the reference's",
    load: () => import('./engine-commands.js').then((m) => m.compareCommand),
  },
  import: {
    summary: 'copy a CompreFace (or Visor) face collection into a recognition service',
    load: () => import('./import-command.js').then((m) => m.importCommand),
  },
  service: {
    summary: 'create a face service and print its API key',
    load: () => import('./service-commands.js').then((m) => m.serviceCommand),
  },
  user: {
    summary: "users, from the server's shell (create, list, reset-password)",
    load: () => import('./user-commands.js').then((m) => m.userCommand),
  },
  app: {
    summary: 'applications and members (create, list, add-member)',
    load: () => import('./app-commands.js').then((m) => m.appCommand),
  },
};

/** `visor` alone, `visor --help` and `visor help`: the list of commands (exit 0); an unknown command: 2. */
const root = cliCommand('', (cmd) => {
  cmd
    .usage('<command> [options]')
    .addHelpText('after', "\nvisor <command> --help shows a command's options")
    .helpCommand(true);
  for (const [name, c] of Object.entries(commands)) cmd.command(name).description(c.summary);
});

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'help' && args[0] !== undefined && args[0] in commands)
    return (await commands[args[0]].load()).run(['--help']);
  const command = name === undefined ? undefined : commands[name];
  return command ? (await command.load()).run(args) : root.run(argv);
}
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`visor: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
