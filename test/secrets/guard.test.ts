// The guard rule: no secret payload in clear in a rendered tree, whatever put it there.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Manifest, listYamlFiles, readManifestTree } from '../../primitives/manifests.js';
import { validateTree } from '../../validate/index.js';
import { tmp } from './helpers.js';
import { formatFinding } from '../../validate/finding.js';
import { FLEET_RULES } from '../../validate/fleet-rules.js';
import { encryptedSecretPayloads } from '../../validate/secret-rules.js';

const ENC = 'ENC[AES256_GCM,data:c2VjcmV0,iv:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]';
const sopsSecret = (templates: unknown[], sops: unknown = { encrypted_suffix: 'Templates', lastmodified: '2026-01-01T00:00:00Z', mac: ENC }) => ({
  apiVersion: 'isindir.github.com/v1alpha3', kind: 'SopsSecret', metadata: { name: 'db', namespace: 'argocd' },
  spec: { secretTemplates: templates }, ...(sops ? { sops } : {}),
});
const at = (object: Record<string, unknown>, file = 'clusters/c1/secrets/argocd.db.enc.yaml'): Manifest => ({ cluster: 'c1', file, index: 0, object });
const check = (m: Manifest) => encryptedSecretPayloads({ name: 'c1', manifests: [m], folders: new Set() }).map(formatFinding);

test('is registered as a fleet rule', () => {
  expect(FLEET_RULES['encrypted-secret-payload']).toBe(encryptedSecretPayloads);
});

test('an encrypted SopsSecret passes', () => {
  expect(check(at(sopsSecret([{ name: ENC, stringData: { password: ENC } }])))).toEqual([]);
});

test('a template value in clear is refused, naming cluster, file, object and field', () => {
  expect(check(at(sopsSecret([{ name: ENC, stringData: { password: 'hunter2', user: ENC } }])))).toEqual([
    'c1: clusters/c1/secrets/argocd.db.enc.yaml: SopsSecret/argocd/db: .spec.secretTemplates[0].stringData.password: value is not SOPS-encrypted (expected ENC[AES256_GCM,...])',
  ]);
});

test('a decrypted SopsSecret (no sops block) is refused, wherever it is', () => {
  expect(check(at(sopsSecret([{ name: 'db', stringData: { password: 'hunter2' } }], null), 'clusters/c1/apps/sopssecret-db.yaml'))).toEqual([
    'c1: clusters/c1/apps/sopssecret-db.yaml: SopsSecret/argocd/db: a SopsSecret without sops metadata: its templates are plaintext; never commit them decrypted (secrets/<cluster>/<namespace>/<name>.enc.yaml, `infra-synth secrets add`)',
  ]);
});

test('a *.enc.yaml file that holds an unencrypted object is refused', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'argocd' }, data: { a: 'b' } };
  expect(check(at(cm, 'clusters/c1/secrets/argocd.x.enc.yaml'))).toEqual([
    'c1: clusters/c1/secrets/argocd.x.enc.yaml: ConfigMap/argocd/x: the file is named *.enc.yaml but is not SOPS-encrypted',
  ]);
});

test('a decrypted SopsSecret in a rendered tree passes the schema but fails validation, naming cluster and object', async () => {
  const root = tmp('tree-');
  mkdirSync(join(root, 'clusters/c1/secrets'), { recursive: true });
  writeFileSync(join(root, 'clusters/c1/secrets/argocd.db.enc.yaml'),
    'apiVersion: isindir.github.com/v1alpha3\nkind: SopsSecret\nmetadata:\n  name: db\n  namespace: argocd\nspec:\n  secretTemplates:\n    - name: db\n      stringData:\n        password: hunter2\n');
  const findings = await validateTree(readManifestTree(root), listYamlFiles(root));
  expect(findings.map(formatFinding)).toEqual([
    'c1: clusters/c1/secrets/argocd.db.enc.yaml: SopsSecret/argocd/db: a SopsSecret without sops metadata: its templates are plaintext; never commit them decrypted (secrets/<cluster>/<namespace>/<name>.enc.yaml, `infra-synth secrets add`)',
  ]);
});
