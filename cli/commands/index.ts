import type { Command } from 'commander';
import { register as registerDiff } from './diff.js';
import { register as registerPublish } from './publish.js';

/** Each command lives in its own module and adds itself to the program here. */
export function registerCommands(program: Command): void {
  registerDiff(program);
  registerPublish(program);
}
