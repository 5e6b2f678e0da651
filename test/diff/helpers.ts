import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';

/** Tree-relative path -> file text, or -> objects (dumped as one multi-document file). */
export type TreeSpec = Record<string, string | Array<Record<string, unknown>>>;

const made: string[] = [];

export function tempDir(prefix = 'diff-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function cleanupTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function writeTree(root: string, spec: TreeSpec): string {
  mkdirSync(join(root, 'clusters'), { recursive: true });
  for (const [file, content] of Object.entries(spec)) {
    const full = join(root, file);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, typeof content === 'string' ? content : content.map((o) => yaml.dump(o)).join('---\n'));
  }
  return root;
}

/** A new temp dir holding the tree. */
export function tree(spec: TreeSpec): string {
  return writeTree(tempDir(), spec);
}

export function configMap(name: string, data: Record<string, string>, namespace = 'default'): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

export function deployment(name: string, namespace: string, image: string, replicas = 1): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'sidecar', image: 'envoy:1.30' }, { name: 'app', image }] },
      },
    },
  };
}
