import { redactSecrets } from './redact.js';

/**
 * An error in the user's input (an overlay, a rendered tree, a secret file, a command line).
 * The CLI prints each problem on one line, without a stack trace, and exits with code 2.
 * Whatever a problem quotes, a value that looks like a secret key is never repeated
 * (primitives/redact.ts): every UserError is redacted here, once, for every caller.
 */
export class UserError extends Error {
  /** One line per problem; `message` joins them. */
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = (typeof problems === 'string' ? [problems] : [...problems]).map(redactSecrets);
    super(list.join('\n'));
    this.name = 'UserError';
    this.problems = list;
  }
}
