// Real git in temp repositories, isolated from the machine's git configuration: no global or
// system config (a signing key, hooks path or default branch there must not change a test), no
// commit or tag signing, a fixed identity.
import { execa } from 'execa';

const SETTINGS: Record<string, string> = {
  'commit.gpgsign': 'false',
  'tag.gpgsign': 'false',
  'init.defaultBranch': 'main',
  'user.name': 'Test',
  'user.email': 'test@example.com',
};

/** The environment for every git a test runs (also through code under test: pass it as `env`). */
export const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_COUNT: String(Object.keys(SETTINGS).length),
  ...Object.fromEntries(Object.entries(SETTINGS).flatMap(([k, v], i) => [[`GIT_CONFIG_KEY_${i}`, k], [`GIT_CONFIG_VALUE_${i}`, v]])),
};

/** Runs git in `cwd` with GIT_ENV; returns its stdout. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await execa('git', args, { cwd, env: GIT_ENV })).stdout;
}
