// Thin helpers over the git CLI (through execa): publish leaves all history work to git itself.
import { execa } from 'execa';

export interface GitResult { readonly exitCode: number; readonly stdout: string; readonly stderr: string }

/** Runs git in `cwd`; never throws on a non-zero exit (callers decide what it means). */
export async function gitTry(cwd: string, args: readonly string[], input?: string): Promise<GitResult> {
  const r = await execa('git', [...args], {
    cwd,
    input,
    reject: false,
    stripFinalNewline: true,
    // Our own messages are in English; git's are quoted to the user as they are.
    env: { GIT_TERMINAL_PROMPT: '0' },
  });
  if (r.failed && r.exitCode === undefined) throw new Error(`could not run git: ${r.shortMessage}`);
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Runs git in `cwd` and returns stdout; a failure is an Error quoting git's own message. */
export async function git(cwd: string, args: readonly string[], input?: string): Promise<string> {
  const r = await gitTry(cwd, args, input);
  if (r.exitCode !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  return r.stdout;
}
