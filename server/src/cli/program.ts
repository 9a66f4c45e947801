// How every `visor <command>` runs on commander: `run(args)` parses argv with the command's definition and
// returns the exit code. --help prints the command's help on stdout (exit 0; a command with subcommands called
// without one prints it too, exit 0); a usage mistake prints `visor <command>: <what is wrong>` and the help
// on stderr (exit 2); errors thrown by an action reach the caller (bin/visor prints them, exit 1).
import { Command, CommanderError } from 'commander';

export interface CliCommand {
  run(args: string[]): Promise<number>;
}

/** Exit codes of the commander outcomes that are not a usage mistake. */
const NOT_A_MISTAKE: Record<string, number> = {
  'commander.helpDisplayed': 0,
  'commander.help': 0,
  'commander.version': 0,
};

/**
 * A command named `name` (`visor <name>`); `define` adds its options, arguments, subcommands and actions to
 * `cmd`, calling `exit(code)` with the code an action ends with.
 */
export function cliCommand(
  name: string,
  define: (cmd: Command, exit: (code: number) => void) => void,
): CliCommand {
  return {
    async run(args) {
      let code = 0;
      const label = name ? `visor ${name}` : 'visor';
      const cmd = new Command(label)
        .exitOverride()
        .showHelpAfterError()
        .configureOutput({
          writeOut: (s) => process.stdout.write(s),
          writeErr: (s) => process.stderr.write(s),
          outputError: (s, write) => write(`${label}: ${s.replace(/^error: /, '')}`),
        });
      define(cmd, (c) => (code = c));
      try {
        await cmd.parseAsync(args, { from: 'user' });
      } catch (e) {
        if (!(e instanceof CommanderError)) throw e;
        return NOT_A_MISTAKE[e.code] ?? 2;
      }
      return code;
    },
  };
}

/** Reports a usage mistake found after parsing: `visor <command>: message` and the help on stderr, exit 2. */
export function usageError(cmd: Command, message: string): never {
  cmd.error(message, { exitCode: 2, code: 'visor.usage' });
}
