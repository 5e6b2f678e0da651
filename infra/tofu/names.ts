// Names and outputs every cloud mapping shares.
import type { Bucket } from '../model.js';
import { expr, type TofuDocument } from './document.js';

/** A resource name (an identifier: letters, digits, "_" and "-", not starting with a digit) for a construct or zone name. */
export function resourceName(name: string): string {
  const id = name.replace(/[^a-zA-Z0-9_-]/g, '_');
  return /^[a-zA-Z_]/.test(id) ? id : `r_${id}`;
}

/** The `bucket_names` output: each bucket the stack made, by name (the platform reads them from here). */
export function bucketOutputs(doc: TofuDocument, buckets: readonly { bucket: Bucket; address: string }[]): void {
  if (!buckets.length) return;
  doc.output('bucket_names', {
    value: Object.fromEntries(buckets.map(({ bucket, address }) => [bucket.name, expr(`${address}.bucket`)])),
    description: 'S3 buckets of this cluster (Loki, Tempo, Velero, Vault snapshots), by construct name',
  });
}
