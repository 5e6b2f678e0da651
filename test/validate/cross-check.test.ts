// Cross-checks strictness against an independent reading of the upstream schemas in ../shared:
// a small walker over the raw _definitions.json / CRD YAML (not the converted, generated code)
// decides for every object node of a sample whether an extra key is an unknown field, and the
// validator must agree at every node. This pins the rule on real schemas: closed where
// properties are listed, open under x-kubernetes-preserve-unknown-fields and in maps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { validateSchemas } from '../../validate/schema.js';
import { SHARED_DIR, describeWithReferenceData } from '../helpers/reference-data.js';
import { application, clone, configMap, deployment, service } from './helpers.js';

const SHARED = SHARED_DIR;

type Schema = Record<string, any>;

function loadRaw() {
  const defs: Record<string, Schema> = JSON.parse(readFileSync(join(SHARED, 'schemas', 'k8s-1.28', '_definitions.json'), 'utf8')).definitions;
  const roots = new Map<string, { schema: Schema; crd: boolean }>();
  for (const d of Object.values(defs)) {
    for (const g of d['x-kubernetes-group-version-kind'] ?? []) roots.set(`${g.group ? `${g.group}/` : ''}${g.version}/${g.kind}`, { schema: d, crd: false });
  }
  for (const file of ['argo-cd.yaml', 'cert-manager.yaml', 'velero.yaml']) {
    for (const doc of yaml.loadAll(readFileSync(join(SHARED, 'crds', file), 'utf8')) as any[]) {
      for (const v of doc.spec.versions) roots.set(`${doc.spec.group}/${v.name}/${doc.spec.names.kind}`, { schema: v.schema.openAPIV3Schema, crd: true });
    }
  }
  return { defs, roots };
}

/**
 * Every JSON pointer of an object node in `data`, with the reader's verdict on an extra key
 * there: true = the API server (strict) would call it an unknown field.
 */
function verdicts(data: any, schema: Schema | undefined, crd: boolean, defs: Record<string, Schema>, pointer = ''): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const deref = (s: Schema | undefined): Schema | undefined => (s?.$ref ? deref(defs[s.$ref.split('/').pop()]) : s);
  const walk = (d: any, s: Schema | undefined, ptr: string, inCrd: boolean) => {
    s = deref(s);
    if (Array.isArray(d)) {
      d.forEach((x, i) => walk(x, s?.items, `${ptr}/${i}`, inCrd));
      return;
    }
    if (d === null || typeof d !== 'object') return;
    if (s === undefined) return; // inside a free-form area: anything goes
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    const closed = !preserve && s.additionalProperties === undefined && (s.properties !== undefined || inCrd);
    out.set(ptr, closed);
    for (const [k, v] of Object.entries(d)) {
      const child = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      walk(v, child, `${ptr}/${k}`, inCrd);
    }
  };
  if (crd) {
    const { metadata, ...rest } = data;
    walk(rest, schema, pointer, true);
    walk(metadata, { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }, '/metadata', false);
  } else walk(data, schema, pointer, false);
  return out;
}

function setAt(o: any, pointer: string, key: string) {
  let cur = o;
  for (const k of pointer.split('/').slice(1)) cur = cur[k];
  cur[key] = 'x';
}

const pathOf = (pointer: string, key: string) => `${pointer}/${key}`.split('/').slice(1);

describeWithReferenceData('strictness agrees with an independent reading of the upstream schemas', ['crds', 'schemas/k8s-1.28/_definitions.json'], () => {
  const { defs, roots } = loadRaw();
  const certificate = {
    apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'wildcard', namespace: 'istio-ingress', labels: { a: 'b' } },
    spec: { secretName: 'wildcard-tls', dnsNames: ['*.example.com'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' }, privateKey: { algorithm: 'ECDSA', size: 256 }, secretTemplate: { labels: { x: 'y' } } },
  };
  const schedule = {
    apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'daily', namespace: 'velero' },
    spec: { schedule: '0 3 * * *', template: { ttl: '720h0m0s', includedNamespaces: ['*'], labelSelector: { matchLabels: { backup: 'yes' } }, hooks: { resources: [{ name: 'h', pre: [{ exec: { command: ['sync'] } }] }] } } },
  };
  const app = application();
  app.spec.source.helm.valuesObject = { a: { b: { c: [{ d: 1 }] } } };
  const samples = [deployment(), service(), configMap(), app, certificate, schedule];

  test.each(samples.map((s) => [`${s.apiVersion}/${s.kind}`, s]))('%s: an extra key is rejected exactly where the raw schema closes the object', async (key, sample) => {
    const root = roots.get(key as string)!;
    const expected = verdicts(sample, root.schema, root.crd, defs);
    expect(expected.size).toBeGreaterThanOrEqual(3);
    const disagreements: string[] = [];
    for (const [pointer, closed] of expected) {
      const o = clone(sample);
      setAt(o, pointer, 'zzExtra');
      const errors = await validateSchemas([{ file: 'f.yaml', index: 0, object: o }]);
      const flagged = errors.some((e) => e.message.startsWith('unknown field "zzExtra"') && e.path.endsWith('zzExtra'));
      if (flagged !== closed) disagreements.push(`${pathOf(pointer, 'zzExtra').join('.')}: reader says ${closed ? 'unknown' : 'allowed'}, validator ${flagged ? 'rejects' : 'accepts'}`);
    }
    expect(disagreements).toEqual([]);
  });

  test('the sample covers open areas as well as closed ones', () => {
    const root = roots.get('argoproj.io/v1alpha1/Application')!;
    const v = verdicts(app, root.schema, true, defs);
    expect(v.get('/spec/source/helm')).toBe(true);
    expect(v.get('/spec/source/helm/valuesObject')).toBe(false);
    expect(v.get('/metadata/annotations')).toBe(false);
  });
});
