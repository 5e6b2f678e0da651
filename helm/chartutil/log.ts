// Where chartutil's warnings go. Helm prints them with Go's log.Printf (stderr) and carries on;
// as a library we hand them to whoever renders (the CLI writes them to stderr).

export type Logger = (message: string) => void;

let logger: Logger = () => undefined;

/** Replace the warning sink; returns the previous one so tests can restore it. */
export function setLogger(next: Logger): Logger {
  const previous = logger;
  logger = next;
  return previous;
}

export function logf(message: string): void {
  logger(message);
}
