// Shared test fixtures: the reference data in ../shared (never copied into the repo).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DIR = process.env.SHARED_DIR ?? resolve(REPO_ROOT, '..', 'shared');
export const VECTORS_DIR = join(SHARED_DIR, 'sops-vectors');

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

export const vectors: Vector[] = JSON.parse(readFileSync(join(VECTORS_DIR, 'manifest.json'), 'utf8'));
export const vectorPath = (v: Vector) => join(VECTORS_DIR, v.file);
export const readVector = (v: Vector) => readFileSync(vectorPath(v));
export const expectedOf = (v: Vector) => JSON.parse(readFileSync(join(VECTORS_DIR, v.expected), 'utf8'));
export const identityFileOf = (v: Vector) => join(VECTORS_DIR, v.age_identity_file!);
