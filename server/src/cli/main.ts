// `visor` CLI dispatcher: engine commands (detect, embed, compare), migration (import) and administration
// commands (service, user, app).

// onnxruntime-node 1.29+ creates its environment with POSIX telemetry on: it matches regular expressions
// (libstdc++'s, which recurse once per character) against the process's command line, so `visor detect` with
// ~500 paths (~30 KB of argv) overflowed the 8 MB stack and died with SIGSEGV before printing anything; the
// same telemetry also uploads usage events to Microsoft. Off before any model loads; workers inherit it.
process.env.ORT_DISABLE_TELEMETRY ??= '1';

const usage = `usage:
  visor detect <images, folders...>     one JSON line per image: faces with box and landmarks
  visor embed <images, folders...>      same, with each face's embedding
  visor compare <reference> <images...> similarity of each image's biggest face to the reference's
      (all three: --files-from FILE|-, --jobs N, --no-progress; visor detect --help)
  visor import --from URL --api-key KEY --to-service KEY [--to URL]
                                        copy a CompreFace (or Visor) face collection (visor import --help)
  visor service create --type recognition|detection|verification --name N [--app ID]
  visor user create|list|reset-password ...   users, from the server's shell (visor user --help)
  visor app create|list|add-member ...        applications and members (visor app --help)
`;

const commands: Record<string, () => Promise<{ run(args: string[]): Promise<number> }>> = {
  detect: () => import('./engine-commands.js').then((m) => m.detectCommand),
  embed: () => import('./engine-commands.js').then((m) => m.embedCommand),
  compare: () => import('./engine-commands.js').then((m) => m.compareCommand),
  import: () => import('./import-command.js').then((m) => m.importCommand),
  service: () => import('./service-commands.js').then((m) => m.serviceCommand),
  user: () => import('./user-commands.js').then((m) => m.userCommand),
  app: () => import('./app-commands.js').then((m) => m.appCommand),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const load = name ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(usage);
    return name && name !== '--help' && name !== 'help' ? 2 : 0;
  }
  return (await load()).run(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`visor: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
