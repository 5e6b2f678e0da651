/** A problem in a rendered tree: where it is and what is wrong. */
export interface Finding {
  /** The cluster the file belongs to, when it lies under clusters/<cluster>/. */
  readonly cluster?: string;
  /** File path relative to the tree root. */
  readonly file: string;
  /** The object, as `Kind/namespace/name`. */
  readonly object: string;
  /** JSON path inside the object, e.g. `.spec.source.path`. */
  readonly path: string;
  /** What is wrong and what would be valid. */
  readonly message: string;
}

/** One line per finding: `<cluster>: <file>: <object>: <path>: <message>`. */
export function formatFinding(f: Finding): string {
  return [f.cluster, f.file, f.object, f.path, f.message].filter(Boolean).join(': ');
}
