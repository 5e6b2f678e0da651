// Chart digests in one spelling: `sha256:<64 hex>` (the OCI form). Helm's index.yaml writes the
// bare hex; both are accepted on the way in.
import { createHash } from 'node:crypto';

const SHA256 = /^(?:sha256:)?([0-9a-f]{64})$/;

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The canonical `sha256:<hex>`, or undefined when `digest` is no sha256 digest. */
export function normalizeDigest(digest: string): string | undefined {
  const m = SHA256.exec(digest.trim().toLowerCase());
  return m ? `sha256:${m[1]}` : undefined;
}

/** The 64 hex digits of a canonical digest. */
export function digestHex(digest: string): string {
  const d = normalizeDigest(digest);
  if (!d) throw new Error(`not a sha256 digest: ${JSON.stringify(digest)}`);
  return d.slice('sha256:'.length);
}
