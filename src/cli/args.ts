/**
 * Shared argument handling of the subcommands: parse with node:util parseArgs, print usage on
 * --help, one-line errors with exit code 2 on bad usage. Each command keeps its own option table.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommand<T> {
  values: T;
  positionals: string[];
}

/**
 * Parses `argv` for `cryoread <command>`. Returns the parsed values, or an exit code when the
 * command should stop: 0 after printing the usage for --help, 2 after a usage error.
 * `positionals` is the number of positional arguments required and what they are called.
 */
export function parseCommand<T = Record<string, string | boolean | undefined>>(
  command: string,
  argv: string[],
  options: Options,
  usage: string,
  positionals?: { count: number; what: string },
): ParsedCommand<T> | number {
  let parsed;
  // `--contour -0.5`: node's parseArgs takes a value starting with '-' for an option, so join a
  // negative number to its option (`--contour=-0.5`); the range checks of each command then apply.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : null;
    if (name && options[name]?.type === 'string' && i + 1 < argv.length && /^-\d|^-\.\d/.test(argv[i + 1])) {
      args.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else args.push(argv[i]);
  }
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { ...options, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (e) {
    process.stderr.write(`cryoread ${command}: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  if (positionals && parsed.positionals.length !== positionals.count) {
    process.stderr.write(`cryoread ${command}: expected ${positionals.what}, got ${parsed.positionals.length} argument(s)\n${usage}\n`);
    return 2;
  }
  return { values: parsed.values as T, positionals: parsed.positionals };
}
