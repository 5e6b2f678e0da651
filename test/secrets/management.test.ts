// A management cluster's secrets (management-secrets/<mgmt>/): encrypted to the recipients of
// overlays/management/<mgmt>.ts by `secrets add`, re-keyed by `secrets rotate`, checked by
// `secrets audit` and by synth, and given their own .sops.yaml rule.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addManagementSecret, auditSecrets, rotateSecrets } from '../../pipeline/secrets/manage.js';
import { synthInfraStacks } from '../../pipeline/infra-stacks.js';
import { findCreationRule, readMetadata } from '../../sops/index.js';
import { renderSopsConfig } from '../../secret-store/sops-config.js';
import { loadManagements, type ManagementSpec } from '../../spec/management.js';
import { stackSpec } from '../infra/helpers.js';
import { type KeyPair, NOW, backendAt, newKeyPair, tmp } from './helpers.js';

let mgmtKey: KeyPair;
let platform: KeyPair;
beforeAll(async () => {
  mgmtKey = await newKeyPair();
  platform = await newKeyPair();
});

// A Yandex cluster made by Crossplane on `mgmt`: its provider reads crossplane-system/yc-credentials (key.json).
const yc = stackSpec('yandex', { infra: { backend: 'crossplane', management: 'mgmt' } }, 'yc1');

/** A repository with overlays/management/<name>.ts for each given management cluster. */
function repo(managements: Record<string, readonly string[]>) {
  const root = tmp('mgmt-repo-');
  const overlays = join(root, 'overlays');
  mkdirSync(join(overlays, 'management'), { recursive: true });
  for (const [name, recipients] of Object.entries(managements)) {
    writeFileSync(join(overlays, 'management', `${name}.ts`), `export default { secrets: { ageRecipients: ${JSON.stringify(recipients)} } };\n`);
  }
  return { root, overlays, secrets: join(root, 'secrets'), dir: join(root, 'management-secrets') };
}

async function withCredentials(recipients: readonly string[], daysAgo = 0) {
  const r = repo({ mgmt: recipients });
  const [management] = await loadManagements(r.overlays);
  const added = await addManagementSecret({
    management, fleet: [yc], dir: r.dir, name: 'yc-credentials', files: [], literals: ['key.json={"id":"aje-fake"}'], backend: backendAt(daysAgo),
  });
  return { ...r, management, added };
}

describe('overlays/management/<name>.ts', () => {
  test('loads each management cluster with its recipients', async () => {
    const r = repo({ mgmt: [mgmtKey.recipient, platform.recipient] });
    expect(await loadManagements(r.overlays)).toEqual([
      { name: 'mgmt', file: expect.stringContaining('management/mgmt.ts'), secrets: { ageRecipients: [mgmtKey.recipient, platform.recipient] } },
    ]);
  });

  test('a folder without them is no management cluster at all', async () => {
    expect(await loadManagements(tmp('no-mgmt-'))).toEqual([]);
  });

  test('a bad recipient is refused, naming the file and the field', async () => {
    const r = repo({ mgmt: ['age1nope'] });
    await expect(loadManagements(r.overlays)).rejects.toThrow(/management\/mgmt\.ts: secrets\.ageRecipients\[0\]: received "age1nope"; expected an age X25519 public key/);
  });

  test('an unknown field is refused', async () => {
    const r = repo({});
    writeFileSync(join(r.overlays, 'management', 'mgmt.ts'), `export default { secrets: { ageRecipients: ["${platform.recipient}"] }, cloud: "yandex" };\n`);
    await expect(loadManagements(r.overlays)).rejects.toThrow(/management\/mgmt\.ts: \(management overlay\): unknown field "cloud"/);
  });
});

describe('secrets add for a management cluster', () => {
  test('writes management-secrets/<mgmt>/<provider namespace>/<name>.enc.yaml encrypted to the management overlay\'s recipients', async () => {
    const r = await withCredentials([mgmtKey.recipient, platform.recipient]);
    expect(r.added).toEqual({ path: join(r.dir, 'mgmt', 'crossplane-system', 'yc-credentials.enc.yaml'), namespace: 'crossplane-system' });
    const text = readFileSync(r.added.path, 'utf8');
    expect(text).not.toContain('aje-fake');
    expect(readMetadata(text, 'yaml').recipients.sort()).toEqual([mgmtKey.recipient, platform.recipient].sort());
  });

  test('refuses keys the provider never reads, and writes nothing', async () => {
    const r = repo({ mgmt: [platform.recipient] });
    const [management] = await loadManagements(r.overlays);
    await expect(addManagementSecret({ management, fleet: [yc], dir: r.dir, name: 'yc-credentials', literals: ['token=x'] }))
      .rejects.toThrow('mgmt: Secret crossplane-system/yc-credentials is read as the keys key.json; it never reads token; missing key.json; nothing written');
  });
});

describe('secrets audit of management clusters', () => {
  // The management clusters' part of the audit (yc1's own secrets are not committed here).
  const audit = (r: { secrets: string; dir: string }, managements: ManagementSpec[], specs = [yc]) => {
    const result = auditSecrets({ specs, secretsDir: r.secrets, managements: { specs: managements, dir: r.dir }, now: NOW });
    return { ...result, findings: result.findings.filter((f) => !f.startsWith('yc1: ')) };
  };

  test('committed credentials encrypted to the management overlay\'s recipients pass', async () => {
    const r = await withCredentials([platform.recipient]);
    expect(audit(r, [r.management])).toEqual({ findings: [], notes: [], ok: 1 });
  });

  test('credentials a provider reads that are not committed are a finding with the command that adds them', async () => {
    const r = repo({ mgmt: [platform.recipient] });
    const findings = audit(r, await loadManagements(r.overlays)).findings;
    expect(findings).toEqual([expect.stringMatching(/management-secrets\/mgmt\/crossplane-system\/yc-credentials\.enc\.yaml: missing; Crossplane on mgmt reads .*: run `infra-synth secrets add mgmt yc-credentials --namespace crossplane-system --from-file key.json=<file>`/)]);
  });

  test('a file encrypted to other recipients than the management overlay\'s is a finding naming that file', async () => {
    const r = await withCredentials([platform.recipient]);
    const moved = { ...r.management, secrets: { ageRecipients: [platform.recipient, mgmtKey.recipient] } };
    expect(audit(r, [moved]).findings).toEqual([
      `${r.added.path}: encrypted to other recipients than ${r.management.file} (secrets.ageRecipients): missing ${mgmtKey.recipient}; run \`infra-synth secrets rotate --cluster mgmt\``,
    ]);
  });

  test('a data key older than the rotation period is a finding', async () => {
    const r = await withCredentials([platform.recipient], 120);
    expect(audit(r, [r.management]).findings).toEqual([expect.stringMatching(/yc-credentials\.enc\.yaml: data key last rotated .* \(120 days ago, over 90\); run `infra-synth secrets rotate --cluster mgmt`$/)]);
  });

  test('a cluster naming a management cluster without its overlay is a finding', async () => {
    const r = repo({});
    expect(audit(r, []).findings).toEqual([
      'overlays/management/mgmt.ts: missing; yc1 name management cluster mgmt (infra.management), whose secrets need its age recipients',
    ]);
  });

  test('a management overlay no cluster names is a note, not a finding', async () => {
    const r = repo({ spare: [platform.recipient] });
    const result = audit(r, await loadManagements(r.overlays), []);
    expect(result.findings).toEqual([]);
    expect(result.notes).toEqual([expect.stringMatching(/management\/spare\.ts: no cluster names management cluster spare/)]);
  });
});

test('secrets rotate --cluster <mgmt> adds a recipient the management overlay gained, keeping the data key', async () => {
  const r = await withCredentials([platform.recipient]);
  const gained = { ...r.management, secrets: { ageRecipients: [platform.recipient, mgmtKey.recipient] } };
  const changes = await rotateSecrets({
    specs: [], secretsDir: r.secrets, managements: { specs: [gained], dir: r.dir }, cluster: 'mgmt', now: NOW,
    env: { SOPS_AGE_KEY: platform.identity }, backend: backendAt(0),
  });
  expect(changes).toEqual([{ path: r.added.path, action: 'updatekeys', why: `recipients added: ${mgmtKey.recipient}` }]);
  expect(readMetadata(readFileSync(r.added.path, 'utf8'), 'yaml').recipients.sort()).toEqual([mgmtKey.recipient, platform.recipient].sort());
});

test('.sops.yaml has a rule for each management cluster\'s secrets, in the repository and in the rendered tree', async () => {
  const r = repo({});
  const config = join(r.root, '.sops.yaml');
  writeFileSync(config, renderSopsConfig([], 'secrets', [{ name: 'mgmt', secrets: { ageRecipients: [mgmtKey.recipient] } }]));
  for (const path of ['management-secrets/mgmt/crossplane-system/yc-credentials.enc.yaml', 'management/mgmt/bootstrap/secrets/crossplane-system.yc-credentials.enc.yaml']) {
    expect(findCreationRule(config, join(r.root, path))?.age).toEqual([mgmtKey.recipient]);
  }
  expect(() => findCreationRule(config, join(r.root, 'management-secrets/other/ns/x.enc.yaml'))).toThrow(/no creation rule matches/);
});

describe('synth with a management overlay', () => {
  test('refuses committed credentials encrypted to other recipients', async () => {
    const r = await withCredentials([platform.recipient]);
    writeFileSync(join(r.overlays, 'management', 'mgmt.ts'), `export default { secrets: { ageRecipients: ["${mgmtKey.recipient}"] } };\n`);
    await expect(synthInfraStacks([yc], [yc], r.overlays)).rejects.toThrow(/yc-credentials\.enc\.yaml: encrypted to other recipients than .*management\/mgmt\.ts/);
  });

  test('without one, warns that the credentials\' recipients are not checked', async () => {
    const r = repo({});
    const result = await synthInfraStacks([yc], [yc], r.overlays);
    expect(result.warnings).toContainEqual(expect.stringMatching(/^management cluster mgmt: .*overlays\/management\/mgmt\.ts is missing: the recipients of .* are not checked/));
  });
});
