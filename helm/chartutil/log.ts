// Where chartutil's (and the loader's) warnings go. Helm prints them with Go's log.Printf on
// stderr, prefixed by the calling file and line (helm's main sets log.Lshortfile), e.g.
// `coalesce.go:306: warning: destination for x is a table. Ignoring non-table value (<nil>)`,
// and carries on. As a library we hand each message with that origin to a sink.

/** `origin` is Helm v3.19.5's `file.go:line` of the log call. */
export type Logger = (message: string, origin: string) => void;

let logger: Logger = () => undefined;

/** Replace the warning sink; returns the previous one so callers can restore it. */
export function setLogger(next: Logger): Logger {
  const previous = logger;
  logger = next;
  return previous;
}

export function logf(message: string, origin: string): void {
  logger(message, origin);
}

/** A line as Helm's stderr shows it. */
export function formatLogLine(message: string, origin: string): string {
  return `${origin}: ${message}`;
}
