// Each command loads what it uses: the program's help reads the command table only, and the
// commands that never encrypt, render or run git load neither cdk8s nor age nor execa. Seen from
// outside the process, on the CLI bundled in chunks as `npm run build` bundles it (commander inside
// the bundle, every other package loaded from node_modules).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Help } from 'commander';
import { COMMANDS, commandOf, registerAllCommands } from '../../cli/commands/index.js';
import { bundledCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { tempDir } from '../helpers/tmp.js';

const cli = bundledCli('commands');
const HEAVY = ['cdk8s', 'cdk8s-plus-28', 'constructs', 'execa', 'age-encryption'];

/** Every module URL a CLI invocation resolves, in order. */
function modulesLoaded(args: string[]): string[] {
  const trace = join(tempDir('module-trace'), 'trace.txt');
  try {
    execFileSync(process.execPath, ['--import', join(REPO_ROOT, 'test/helpers/module-trace/register.mjs'), cli, ...args], {
      env: { ...process.env, MODULE_TRACE_FILE: trace }, stdio: 'pipe',
    });
  } catch { /* a usage error or a failed check still shows what was loaded */ }
  const urls = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  rmSync(trace, { force: true });
  return urls;
}

/** The npm packages among `urls`. */
function packagesOf(urls: readonly string[]): string[] {
  return [...new Set(urls.flatMap((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []))].sort();
}

/** The bundle's files among `urls`, relative to the bundle (cli.mjs, chunks/<name>-<hash>.mjs). */
function bundleFilesOf(urls: readonly string[]): string[] {
  const root = dirname(cli);
  return [...new Set(urls.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u)).filter((f) => f.startsWith(`${root}/`)).map((f) => f.slice(root.length + 1)))].sort();
}

/** A rendered tree of one cluster with one object, for commands that read a tree. */
function smallTree(): string {
  const dir = tempDir('tree');
  mkdirSync(join(dir, 'clusters/c1/apps'), { recursive: true });
  writeFileSync(join(dir, 'clusters/c1/apps/a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: default\ndata:\n  k: "1"\n');
  return dir;
}

test('the program\'s help loads no package from node_modules', () => {
  expect(packagesOf(modulesLoaded(['--help']))).toEqual([]);
});

test('the program\'s help loads no command\'s chunk', () => {
  // Command chunks are named after their module (chunks/synth-<hash>.mjs); the shared chunks are chunk-<hash>.mjs.
  const commandChunks = bundleFilesOf(modulesLoaded(['--help'])).map((f) => basename(f)).filter((f) => !/^(cli|bin|chunk-[A-Z0-9]+)\.mjs$/.test(f));
  expect(commandChunks).toEqual([]);
});

test.each([['validate', '--help'], ['diff', '--help'], ['simulate', '--help'], ['docs', '--help']])('%s %s loads neither cdk8s, age nor execa', (...args) => {
  expect(packagesOf(modulesLoaded(args)).filter((p) => HEAVY.includes(p))).toEqual([]);
});

test('validate of a tree loads neither cdk8s, age nor execa', () => {
  expect(packagesOf(modulesLoaded(['validate', smallTree()])).filter((p) => HEAVY.includes(p))).toEqual([]);
});

test('diff of two folders loads neither cdk8s, age nor execa', () => {
  expect(packagesOf(modulesLoaded(['diff', '--base', smallTree(), '--head', smallTree()])).filter((p) => HEAVY.includes(p))).toEqual([]);
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
