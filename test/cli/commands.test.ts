// Each command loads what it uses: the program's help reads the command table only, and the
// commands that never encrypt, render or run git load neither cdk8s nor age nor execa. Seen from
// outside the process, on the CLI bundled in chunks as `npm run build` bundles it.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Help } from 'commander';
import { COMMANDS, commandOf, registerAllCommands } from '../../cli/commands/index.js';
import { bundledCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { tempDir } from '../helpers/tmp.js';

const cli = bundledCli('commands');
const HEAVY = ['cdk8s', 'cdk8s-plus-28', 'constructs', 'execa', 'age-encryption'];

/** The npm packages a CLI invocation loads. */
function packagesLoaded(args: string[]): string[] {
  const trace = join(tempDir('module-trace'), 'trace.txt');
  try {
    execFileSync(process.execPath, ['--import', join(REPO_ROOT, 'test/helpers/module-trace/register.mjs'), cli, ...args], {
      env: { ...process.env, MODULE_TRACE_FILE: trace }, stdio: 'pipe',
    });
  } catch { /* a usage error still shows what was loaded */ }
  const urls = readFileSync(trace, 'utf8').split('\n');
  rmSync(trace, { force: true });
  return [...new Set(urls.flatMap((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []))].sort();
}

test('the program\'s help loads no package but commander', () => {
  expect(packagesLoaded(['--help'])).toEqual(['commander']);
});

test.each([['validate', '--help'], ['diff', '--help'], ['simulate', '--help'], ['docs', '--help']])('%s %s loads neither cdk8s, age nor execa', (...args) => {
  expect(packagesLoaded(args).filter((p) => HEAVY.includes(p))).toEqual([]);
});

test('the command table lists every command the modules register, with the same usage and description', async () => {
  const program = new Command('infra-synth');
  await registerAllCommands(program);
  const help = new Help();
  const registered = program.commands.map((c) => ({ name: c.name(), usage: help.subcommandTerm(c), description: help.subcommandDescription(c) }));
  expect(registered.map((c) => c.name).sort()).toEqual(Object.keys(COMMANDS).sort());
  for (const c of registered) {
    // Received: the table; expected: what the module registers.
    expect({ name: c.name, usage: COMMANDS[c.name].usage, description: COMMANDS[c.name].description }).toEqual(c);
  }
});

test('the command an argument list runs is its first word, or the word after help', () => {
  expect([commandOf(['synth', '--charts', 'off']), commandOf(['help', 'validate']), commandOf(['--help']), commandOf(['bogus'])]).toEqual(['synth', 'validate', undefined, undefined]);
});
