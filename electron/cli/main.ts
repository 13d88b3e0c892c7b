import { parseArgs } from 'node:util';
import { createI18n, detectLanguage, LANGUAGES, type Language } from '../core/i18n';
import { toErrorInfo } from '../core/api/errors';
import { describeError, makeContext, type Command } from './context';
import { siteCommands } from './commands/site';
import { hostCommands } from './commands/host';
import { auditCommands, jobCommands } from './commands/jobs-audit';
import { serveCommand } from './commands/serve';
import { probeCommand } from './commands/probe';
import { preflightCommand } from './commands/preflight';
import { bundleCommands } from './commands/bundle';

/** Every command; a domain adds its own list here. */
export const commands: Command[] = [serveCommand, probeCommand, preflightCommand, ...siteCommands, ...hostCommands, ...jobCommands, ...auditCommands, ...bundleCommands];

const globalOptions = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'data-dir': { type: 'string' },
  lang: { type: 'string' },
} as const;

function findCommand(argv: string[]): { cmd?: Command; rest: string[] } {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const cmd = commands.find((c) => c.name === name);
    if (cmd) return { cmd, rest: argv.slice(words) };
  }
  return { rest: argv };
}

function help(): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  return ['Outpost — appliance manager for air-gapped sites', '', 'Usage: outpost <command> [options] [--json]', '',
    ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`), '',
    'Global options: --json  --data-dir DIR  --lang en|zh-CN  --help'].join('\n');
}

/** Runs one CLI invocation; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function main(argv: string[]): Promise<number> {
  const langFlag = argv.find((a, i) => argv[i - 1] === '--lang') as Language | undefined;
  const { t } = await createI18n(langFlag && (LANGUAGES as readonly string[]).includes(langFlag) ? langFlag : detectLanguage());
  const json = argv.includes('--json');
  const { cmd, rest } = findCommand(argv);
  if (!cmd) {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') { process.stdout.write(help() + '\n'); return 0; }
    process.stderr.write(`outpost: unknown command "${argv.slice(0, 2).join(' ')}"\n\n${help()}\n`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...globalOptions, ...(cmd.options ?? {}) }, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`outpost ${cmd.name}: ${(e as Error).message}\nUsage: ${cmd.usage}\n`);
    return 2;
  }
  if (parsed.values.help) { process.stdout.write(`${cmd.summary}\nUsage: ${cmd.usage}\n`); return 0; }
  const { ctx, close } = makeContext(t, parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
  try {
    return (await cmd.run(ctx)) ?? 0;
  } catch (err) {
    const info = toErrorInfo(err);
    if (json) process.stdout.write(JSON.stringify({ error: info }, null, 2) + '\n');
    process.stderr.write(`outpost ${cmd.name}: ${describeError(t, err)}\n`);
    if (info.code === 'cli.usage') process.stderr.write(`Usage: ${cmd.usage}\n`);
    return info.code === 'cli.usage' ? 2 : 1;
  } finally {
    await close();
  }
}
