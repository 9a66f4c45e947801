// `visor` CLI dispatcher: engine commands (detect, embed, compare) and administration commands (service, user, app).
const usage = `usage:
  visor detect <images...>          one JSON line per image: faces with box and landmarks
  visor embed <images...>           same, with each face's embedding
  visor compare <a> <b>             similarity of the biggest face in each image
  visor service create --type recognition|detection|verification --name N [--app ID]
  visor user create|list|reset-password ...   users, from the server's shell (visor user --help)
  visor app create|list|add-member ...        applications and members (visor app --help)
`;

const commands: Record<string, () => Promise<{ run(args: string[]): Promise<number> }>> = {
  detect: () => import('./engine-commands.js').then((m) => m.detectCommand),
  embed: () => import('./engine-commands.js').then((m) => m.embedCommand),
  compare: () => import('./engine-commands.js').then((m) => m.compareCommand),
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
