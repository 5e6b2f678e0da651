// Shared test fixtures: the sops vectors in the reference data (never copied into the repo).
// Suites that use them wrap themselves in describeWithReferenceData('...', VECTORS): in a clone
// without the reference data the vector list is empty and those suites are reported as skipped.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasReferenceData, referencePath } from '../helpers/reference-data.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VECTORS = 'sops-vectors';
export const VECTORS_DIR = referencePath(VECTORS);

export interface Vector {
  id: string;
  file: string;
  format: 'yaml' | 'json' | 'dotenv' | 'binary';
  wrapping: 'age' | 'age-pq' | 'pgp';
  age_identity_file: string | null;
  data_key_hex: string;
  expect: 'ok' | 'fail-gcm' | 'fail-mac' | 'fail-no-mac';
  expected: string;
}

export const vectors: Vector[] = hasReferenceData(VECTORS)
  ? JSON.parse(readFileSync(join(VECTORS_DIR, 'manifest.json'), 'utf8'))
  : [];
export const vectorPath = (v: Vector) => join(VECTORS_DIR, v.file);
export const readVector = (v: Vector) => readFileSync(vectorPath(v));
export const expectedOf = (v: Vector) => JSON.parse(readFileSync(join(VECTORS_DIR, v.expected), 'utf8'));
export const identityFileOf = (v: Vector) => join(VECTORS_DIR, v.age_identity_file!);
