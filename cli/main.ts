// The infra-synth command line: one program, one module per command under cli/commands/.
import { Command, CommanderError } from 'commander';
import { UserError } from '../primitives/errors.js';
import { redactSecrets } from '../primitives/redact.js';
import { registerCommands } from './commands/index.js';

// `infra-synth diff ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const FS_REASONS: Record<string, string> = {
  ENOTDIR: 'a file is where a folder is expected (pick a folder, or remove the file)',
  EISDIR: 'a folder is where a file is expected',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EEXIST: 'already exists',
  ENOENT: 'does not exist',
};

function isFileSystemError(e: unknown): e is NodeJS.ErrnoException & { code: string; path: string } {
  const err = e as NodeJS.ErrnoException | undefined;
  return typeof err?.code === 'string' && typeof err.path === 'string' && err.code in FS_REASONS;
}

const program = new Command('infra-synth')
  .description('Renders the platform of every cluster in the fleet into a GitOps tree for Argo CD')
  .showHelpAfterError()
  .exitOverride();
await registerCommands(program, process.argv.slice(2));

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version exit 0; usage errors were already printed by commander.
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof UserError) {
    for (const p of e.problems) process.stderr.write(`error: ${p}\n`);
    process.exitCode = 2;
  } else if (isFileSystemError(e)) {
    // A path the user gave that cannot be used (--out naming a file, a read-only folder, a full
    // disk): their input or their machine, not our bug — one line naming the path.
    process.stderr.write(`error: ${e.path}: ${FS_REASONS[e.code] ?? e.code}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(redactSecrets(`infra-synth: internal error: ${(e as Error)?.stack ?? e}\n`));
    process.exitCode = 3;
  }
}
