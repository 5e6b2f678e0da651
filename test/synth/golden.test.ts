// Goldens a person can review: for one cluster rendered as dev, stage and prod (same cloud,
// domain and everything else), the snapshot holds only what differs by environment — each
// differing field with its three values, and the files only some environments get. A change to
// an environment default shows here as a few readable lines, not as a 4,000-line freeze.
// The run uses `jest --ci`, so a missing snapshot fails instead of being written.
import yaml from 'js-yaml';
import { renderCluster } from '../../charts/cluster.js';
import { ENVIRONMENTS } from '../../spec/schema.js';
import { specFor } from '../helpers/fleet.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';

type Flat = Map<string, string>;

/** Every leaf of a document as `.a.b[0].c` → its YAML scalar text. */
function flatten(v: unknown, path = '', out: Flat = new Map()): Flat {
  if (Array.isArray(v)) {
    if (!v.length) out.set(path, '[]');
    v.forEach((x, i) => flatten(x, `${path}[${i}]`, out));
  } else if (v && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    if (!keys.length) out.set(path, '{}');
    for (const k of keys) flatten((v as Record<string, unknown>)[k], /^[\w-]+$/.test(k) ? `${path}.${k}` : `${path}["${k}"]`, out);
  } else {
    out.set(path, JSON.stringify(v));
  }
  return out;
}

function renderAs(overlay: Record<string, unknown>): Map<string, Flat> {
  const byEnv = new Map<string, Map<string, Flat>>();
  for (const environment of ENVIRONMENTS) {
    const files = new Map<string, Flat>();
    for (const f of renderCluster(specFor({ ...overlay, environment }, 'c1')).files) {
      const docs = yaml.loadAll(f.content);
      files.set(f.path.replace(/^clusters\/c1\//, ''), flatten(docs.length === 1 ? docs[0] : docs));
    }
    byEnv.set(environment, files);
  }
  return byEnv as unknown as Map<string, Flat>;
}

/**
 * What differs across environments: the files only some environments get, and each field whose
 * values differ, as `path: dev=… stage=… prod=…` with the files where it differs that way (one
 * entry for the sync policy of every Application, not one per Application).
 */
function environmentDifferences(overlay: Record<string, unknown>) {
  const byEnv = renderAs(overlay) as unknown as Map<string, Map<string, Flat>>;
  const files = [...new Set([...byEnv.values()].flatMap((m) => [...m.keys()]))].sort();
  const onlyIn: Record<string, string> = {};
  const fields = new Map<string, string[]>();
  for (const file of files) {
    const present = ENVIRONMENTS.filter((e) => byEnv.get(e)!.has(file));
    if (present.length < ENVIRONMENTS.length) { onlyIn[file] = present.join(', '); continue; }
    const flats = ENVIRONMENTS.map((e) => byEnv.get(e)!.get(file)!);
    for (const p of [...new Set(flats.flatMap((f) => [...f.keys()]))].sort()) {
      const values = flats.map((f) => f.get(p) ?? '(absent)');
      if (new Set(values).size === 1) continue;
      const key = `${p}: ${ENVIRONMENTS.map((e, i) => `${e}=${values[i]}`).join(' ')}`;
      fields.set(key, [...(fields.get(key) ?? []), file]);
    }
  }
  return { onlyIn, fields: Object.fromEntries([...fields].sort(([a], [b]) => (a < b ? -1 : 1))) };
}

test('golden: what differs by environment on a Yandex Cloud cluster with the Istio ingress and mesh', () => {
  expect(environmentDifferences({ cloud: 'yandex', domain: 'c1.company.ru', mesh: { kind: 'istio' }, vault: { seal: { yandexcloudkms: { kmsKeyId: 'abj0c0mpanyvau1tc100' } } } })).toMatchSnapshot();
});

test('golden: what differs by environment on an on-prem cluster with Traefik', () => {
  expect(environmentDifferences({ cloud: 'onprem', infrastructure: 'vsphere', ...ONPREM_SITE, domain: 'c1.company.ru', ingress: { kind: 'traefik' } })).toMatchSnapshot();
});
