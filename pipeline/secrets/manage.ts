// What engineers do with a cluster's secrets: add, edit, rotate (with a key) and audit (without).
// Plaintext lives in memory only, except for `edit`, which hands it to $EDITOR in a private
// temporary folder that is removed afterwards.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { platformComponents } from '../../charts/cluster.js';
import type { SecretUse } from '../../charts/component.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { type SopsBackend, loadAgeIdentities, samePlaintext, selectBackend } from '../../sops/index.js';
import { UserError } from '../../primitives/errors.js';
import { EXAMPLES_FILE, exampleClusters } from '../../secret-store/clock.js';
import { expectedSecrets, missingSecrets, recipientDrift } from './fleet.js';
import { type SopsRecipients, committedSopsConfigPath, renderSopsConfig } from '../../secret-store/sops-config.js';
import { MANAGEMENT_OVERLAYS, type ManagementSpec } from '../../spec/management.js';
import { bootstrapParts, managementOf } from '../../infra/render.js';
import { managementsOf } from '../infra-stacks.js';
import { SOPS_SECRET_API_VERSION, SOPS_SECRET_KIND, SOPS_SECRET_RULES, type SecretTemplate, sopsSecretObject } from '../../secret-store/sops-secret.js';
import {
  type SecretFile, findSecretFile, isDnsLabel, isSecretName, readClusterSecrets, secretClusters, secretFile,
} from '../../secret-store/store.js';

/** Quarterly rotation: a data key older than this is overdue. */
export const MAX_AGE_DAYS = 90;

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, path);
}

export function specOf(specs: readonly ClusterSpec[], cluster: string): ClusterSpec {
  const spec = specs.find((s) => s.name === cluster);
  if (!spec) throw new UserError(`${cluster}: no such cluster (clusters: ${specs.map((s) => s.name).join(', ')})`);
  return spec;
}

export interface AddOptions {
  readonly spec: ClusterSpec;
  readonly secretsDir: string;
  readonly name: string;
  /** @default - the namespace of the component that reads a Secret of this name, when exactly one does */
  readonly namespace?: string;
  /** Secret type. @default - the one the reading component needs, else Opaque */
  readonly type?: string;
  /** `key=value` pairs. */
  readonly literals?: readonly string[];
  /** `key=path` pairs: the file's bytes become the value. */
  readonly files?: readonly string[];
  readonly backend?: SopsBackend;
}

function splitPair(pair: string, flag: string): [string, string] {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new UserError(`${flag} ${pair.includes('=') ? '=...' : JSON.stringify(pair)}: expected key=${flag === '--from-file' ? 'path' : 'value'}`);
  const key = pair.slice(0, eq);
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) throw new UserError(`${flag}: ${JSON.stringify(key)} is not a Secret data key (letters, digits, "-", "_", ".")`);
  return [key, pair.slice(eq + 1)];
}

/** Builds the template from --from-literal and --from-file: text values as stringData, binary as data. */
function templateOf(o: Pick<AddOptions, 'name' | 'type' | 'literals' | 'files'>): SecretTemplate {
  const stringData: Record<string, string> = {};
  const data: Record<string, string> = {};
  const seen = new Set<string>();
  const put = (key: string, flag: string) => {
    if (seen.has(key)) throw new UserError(`${flag}: key ${key} given twice`);
    seen.add(key);
  };
  for (const pair of o.literals ?? []) {
    const [k, v] = splitPair(pair, '--from-literal');
    put(k, '--from-literal');
    stringData[k] = v;
  }
  for (const pair of o.files ?? []) {
    const [k, path] = splitPair(pair, '--from-file');
    put(k, '--from-file');
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new UserError(`--from-file ${k}=${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const text = bytes.toString('utf8');
    if (!text.includes('\u0000') && Buffer.from(text, 'utf8').equals(bytes)) stringData[k] = text;
    else data[k] = bytes.toString('base64');
  }
  if (seen.size === 0) throw new UserError('no values: give --from-literal key=value or --from-file key=path (one or more)');
  return {
    name: o.name,
    ...(o.type ? { type: o.type } : {}),
    ...(Object.keys(stringData).length ? { stringData } : {}),
    ...(Object.keys(data).length ? { data } : {}),
  };
}

/**
 * Adds what the reading component dictates: the labels it finds the Secret by and the values it
 * fixes (a credential's URL), which the command line may not give: a wrong one would break it.
 */
function withComponentFields(t: SecretTemplate, use: SecretUse | undefined): SecretTemplate {
  if (!use?.labels && !use?.values) return t;
  const fixed = use.values ?? {};
  const clash = [...Object.keys(t.stringData ?? {}), ...Object.keys(t.data ?? {})].filter((k) => k in fixed);
  if (clash.length) {
    throw new UserError(`${clash.join(', ')}: set by ${use.usedBy} itself (${Object.entries(fixed).map(([k, v]) => `${k}=${v}`).join(', ')}); give only the other keys`);
  }
  return {
    name: t.name,
    ...(t.type ? { type: t.type } : {}),
    ...(use.labels ? { labels: { ...use.labels } } : {}),
    ...(Object.keys(fixed).length || t.stringData ? { stringData: { ...fixed, ...t.stringData } } : {}),
    ...(t.data ? { data: t.data } : {}),
  };
}

/** Creates secrets/<cluster>/<namespace>/<name>.enc.yaml, encrypted to the cluster's recipients. */
export async function addSecret(o: AddOptions): Promise<{ path: string; namespace: string }> {
  if (!isSecretName(o.name)) throw new UserError(`${o.name}: not a Secret name (lower-case letters, digits, "-" and ".")`);
  const components = platformComponents(o.spec);
  const uses = components.flatMap((c) => c.secrets ?? []).filter((u) => u.name === o.name);
  let namespace = o.namespace;
  if (!namespace) {
    const namespaces = [...new Set(uses.map((u) => u.namespace))];
    if (namespaces.length !== 1) {
      throw new UserError(namespaces.length
        ? `${o.spec.name}: ${o.name} is read in namespaces ${namespaces.join(', ')}; pass --namespace (one file per namespace)`
        : `${o.spec.name}: no component reads a Secret named ${o.name}; pass --namespace`);
    }
    namespace = namespaces[0];
  }
  if (!isDnsLabel(namespace)) throw new UserError(`--namespace ${namespace}: not a namespace name`);
  const path = secretFile(o.secretsDir, o.spec.name, namespace, o.name);
  if (existsSync(path)) throw new UserError(`${path}: exists; change it with \`infra-synth secrets edit ${o.spec.name} ${o.name} --namespace ${namespace}\``);
  const use = uses.find((u) => u.namespace === namespace);
  const type = o.type ?? use?.type;
  const template = withComponentFields(templateOf({ ...o, type }), use);
  const expected = expectedSecrets(components).get(`${namespace}/${o.name}`);
  if (expected) {
    const given = [...Object.keys(template.stringData ?? {}), ...Object.keys(template.data ?? {})];
    const unknown = given.filter((k) => !expected.keys.includes(k));
    const absent = expected.keys.filter((k) => !given.includes(k));
    if (unknown.length || absent.length) {
      throw new UserError(
        `${o.spec.name}: Secret ${namespace}/${o.name} is read by ${expected.usedBy.join(', ')} as the keys ${expected.keys.join(', ')}` +
          `${unknown.length ? `; it never reads ${unknown.join(', ')}` : ''}${absent.length ? `; missing ${absent.join(', ')}` : ''}; nothing written`,
      );
    }
  }
  const plain = yaml.dump(sopsSecretObject({ name: o.name, namespace, template }), { lineWidth: -1, noRefs: true });
  const backend = o.backend ?? selectBackend();
  const enc = await backend.encrypt(plain, { format: 'yaml', recipients: o.spec.secrets.ageRecipients, rules: SOPS_SECRET_RULES, name: path });
  writeAtomic(path, enc);
  return { path, namespace };
}

export interface EditOptions {
  readonly spec: ClusterSpec;
  readonly secretsDir: string;
  readonly name: string;
  readonly namespace?: string;
  /** The editor command (may hold arguments). @default $VISUAL, $EDITOR, vi */
  readonly editor?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly backend?: SopsBackend;
}

/**
 * Decrypts into a 0600 file in a private 0700 folder, runs the editor, removes the folder, and
 * re-encrypts only when the content changed (to the overlay's recipients). Returns whether it did.
 */
export async function editSecret(o: EditOptions): Promise<{ path: string; changed: boolean }> {
  const env = o.env ?? process.env;
  const path = findSecretFile(o.secretsDir, o.spec.name, o.name, o.namespace);
  const ns = basename(dirname(path));
  const backend = o.backend ?? selectBackend({ env });
  const before = await backend.decrypt(readFileSync(path), { format: 'yaml', identities: loadAgeIdentities(env), name: path });
  const editor = o.editor ?? env.VISUAL ?? env.EDITOR ?? 'vi';
  const dir = mkdtempSync(join(tmpdir(), 'infra-synth-secret-'));
  let after: string;
  try {
    const file = join(dir, `${o.name}.yaml`);
    writeFileSync(file, before.plaintext, { mode: 0o600 });
    // Through sh so that EDITOR="code --wait" works as it does for git and sops.
    const r = await execa('sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit', reject: false, env });
    if (r.exitCode !== 0) throw new UserError(`${editor}: exited with ${r.exitCode ?? r.signal}; ${path} left unchanged`);
    after = readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (samePlaintext(before.plaintext, after, 'yaml')) return { path, changed: false };
  let object: Record<string, any>;
  try {
    object = yaml.load(after) as Record<string, any>;
  } catch {
    throw new UserError(`${path}: the edited text is not valid YAML; ${path} left unchanged`);
  }
  if (object?.apiVersion !== SOPS_SECRET_API_VERSION || object?.kind !== SOPS_SECRET_KIND
    || object?.metadata?.name !== o.name || object?.metadata?.namespace !== ns || !Array.isArray(object?.spec?.secretTemplates)) {
    throw new UserError(`${path}: the edited text must stay a ${SOPS_SECRET_KIND} ${ns}/${o.name} with spec.secretTemplates; ${path} left unchanged`);
  }
  const enc = await backend.encrypt(after, { format: 'yaml', recipients: o.spec.secrets.ageRecipients, rules: SOPS_SECRET_RULES, name: path });
  writeAtomic(path, enc);
  return { path, changed: true };
}

export interface RotateOptions {
  readonly specs: readonly ClusterSpec[];
  readonly secretsDir: string;
  /** Management clusters (overlays/management/) and their secrets folder: rotated like clusters. @default - none */
  readonly managements?: { readonly specs: readonly ManagementSpec[]; readonly dir: string };
  /** Only this cluster (or management cluster). @default - every one */
  readonly cluster?: string;
  /** New data key for every file. @default false */
  readonly dataKey?: boolean;
  /**
   * Rotate files whose recipients lose one and gain another in the same run. Off, such files are
   * refused: the cluster holds the removed recipient's identity until the new one is installed,
   * and a file encrypted only to the new one could not be decrypted there in between. The overlap
   * is two runs: both listed, then the old one removed (docs/key-custody.md). @default false
   */
  readonly allowSwap?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly backend?: SopsBackend;
  readonly now?: Date;
}

/** One line per changed file: what rotate did and why. */
export interface RotateChange {
  readonly path: string;
  readonly action: 'updatekeys' | 'new data key';
  readonly why: string;
}

/**
 * Brings files in line with the audit: recipients to the overlay's, and a new data key where one
 * is due. Added recipients only: updatekeys (same data key, values untouched). A removed
 * recipient: new data key, because its holder knows the old one. Older than 90 days, or
 * `dataKey`: new data key.
 */
export async function rotateSecrets(o: RotateOptions): Promise<RotateChange[]> {
  const env = o.env ?? process.env;
  const now = o.now ?? new Date();
  const owners = secretOwners(o);
  const selected = o.cluster ? owners.filter((w) => w.spec.name === o.cluster) : owners;
  if (o.cluster && !selected.length) throw new UserError(`--cluster ${o.cluster}: no such cluster or management cluster (${owners.map((w) => w.spec.name).join(', ')})`);
  const work: { file: SecretFile; spec: SopsRecipients; action: RotateChange['action']; why: string }[] = [];
  const problems: string[] = [];
  for (const { spec, dir, examples } of selected) {
    const { files, problems: p } = readClusterSecrets(dir, spec.name);
    problems.push(...p);
    for (const file of files) {
      const want = spec.secrets.ageRecipients;
      const removed = file.metadata.recipients.filter((r) => !want.includes(r));
      const added = want.filter((r) => !file.metadata.recipients.includes(r));
      const age = ageDays(file, now);
      if (removed.length && added.length && !o.allowSwap) problems.push(swapRefused(file.path, spec.name, added, removed));
      else if (o.dataKey) work.push({ file, spec, action: 'new data key', why: '--data-key' });
      else if (removed.length) work.push({ file, spec, action: 'new data key', why: `recipients removed: ${removed.join(', ')}${added.length ? `; added: ${added.join(', ')}` : ''}` });
      else if (age === undefined || (age > MAX_AGE_DAYS && !examples.has(spec.name))) work.push({ file, spec, action: 'new data key', why: age === undefined ? 'lastmodified unreadable' : `data key ${Math.floor(age)} days old` });
      else if (added.length) work.push({ file, spec, action: 'updatekeys', why: `recipients added: ${added.join(', ')}` });
    }
  }
  if (problems.length) throw new UserError([...problems, 'rotate changed nothing: fix these files first']);
  if (!work.length) return [];
  const identities = loadAgeIdentities(env);
  if (!identities.length) {
    throw new UserError(`rotate needs an age identity that opens the files (set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY); ${work.length} file(s) need it`);
  }
  const backend = o.backend ?? selectBackend({ env });
  // Everything is re-encrypted in memory first: one unreadable file leaves every file untouched.
  const out: { path: string; text: string; change: RotateChange }[] = [];
  for (const w of work) {
    const recipients = w.spec.secrets.ageRecipients;
    const text = w.action === 'updatekeys'
      ? await backend.updateKeys(w.file.text, { format: 'yaml', identities, recipients, name: w.file.path })
      : await backend.rotate(w.file.text, { format: 'yaml', identities, recipients, name: w.file.path });
    out.push({ path: w.file.path, text, change: { path: w.file.path, action: w.action, why: w.why } });
  }
  for (const x of out) writeAtomic(x.path, x.text);
  return out.map((x) => x.change);
}

/**
 * Whose secrets rotate walks: each cluster (secrets/<cluster>/) and each management cluster
 * (management-secrets/<mgmt>/), with the recipients its files must have. Example placeholders
 * (examples.yaml of the folder) are encrypted to keys nobody holds: their age is reported by the
 * audit, and they are re-keyed only when their recipients change or --data-key asks.
 */
function secretOwners(o: RotateOptions): { spec: SopsRecipients; dir: string; examples: Set<string> }[] {
  const clusterExamples = exampleClusters(o.secretsDir);
  const out = o.specs.map((spec) => ({ spec: spec as SopsRecipients, dir: o.secretsDir, examples: clusterExamples }));
  if (o.managements) {
    const examples = exampleClusters(o.managements.dir);
    for (const spec of o.managements.specs) out.push({ spec, dir: o.managements.dir, examples });
  }
  return out;
}

function swapRefused(path: string, cluster: string, added: readonly string[], removed: readonly string[]): string {
  return `${path}: recipients swapped in one run (adds ${added.join(', ')}; removes ${removed.join(', ')}): until ${cluster} holds the new identity it could not decrypt this file; `
    + 'rotate in two runs (docs/key-custody.md): list both in secrets.ageRecipients and rotate, install the new identity in the cluster, then remove the old one and rotate again; '
    + 'or pass --allow-swap when no cluster decrypts with the removed key';
}

function ageDays(file: SecretFile, now: Date): number | undefined {
  const d = file.metadata.lastmodifiedDate;
  return d ? (now.getTime() - d.getTime()) / 86_400_000 : undefined;
}

export interface AuditOptions {
  readonly specs: readonly ClusterSpec[];
  readonly secretsDir: string;
  /** Management clusters (overlays/management/) and their secrets folder. @default - none checked */
  readonly managements?: { readonly specs: readonly ManagementSpec[]; readonly dir: string };
  readonly now?: Date;
  readonly maxAgeDays?: number;
}

export interface AuditResult {
  /** One line per finding, each naming its file (or folder). */
  readonly findings: string[];
  /** Reported, not findings: example placeholders past their rotation age (secrets/examples.yaml). */
  readonly notes: string[];
  /** Encrypted files that passed. */
  readonly ok: number;
}

/**
 * The CI check, without any key: files not encrypted (or not in the SopsSecret form), files whose
 * recipients differ from their cluster's overlay, files whose data key is older than the maximum
 * age, secret folders of clusters that have no overlay, and a stale committed .sops.yaml.
 */
export function auditSecrets(o: AuditOptions): AuditResult {
  const now = o.now ?? new Date();
  const max = o.maxAgeDays ?? MAX_AGE_DAYS;
  const findings: string[] = [];
  const notes: string[] = [];
  const examples = exampleClusters(o.secretsDir);
  let ok = 0;
  const known = new Set(o.specs.map((s) => s.name));
  for (const c of secretClusters(o.secretsDir)) {
    if (!known.has(c)) findings.push(`${join(o.secretsDir, c)}: secrets of cluster ${c}, which has no overlay; delete the folder if the cluster is gone`);
  }
  for (const spec of o.specs) {
    const { files, problems } = readClusterSecrets(o.secretsDir, spec.name);
    findings.push(...problems);
    for (const f of files) if (auditFile(f, { owner: spec, dir: o.secretsDir, examples, now, max }, findings, notes)) ok++;
    // Synth only warns about these (a new cluster's first synth comes before its credentials).
    findings.push(...missingSecrets(spec, files, o.secretsDir));
  }
  if (o.managements) {
    const m = auditManagementSecrets(o.specs, o.managements, now, max);
    findings.push(...m.findings);
    notes.push(...m.notes);
    ok += m.ok;
  }
  const config = committedSopsConfigPath(o.secretsDir);
  if (secretClusters(o.secretsDir).length) {
    const want = renderSopsConfig(o.specs, basename(o.secretsDir), o.managements?.specs);
    const have = existsSync(config) ? readFileSync(config, 'utf8') : undefined;
    if (have !== want) findings.push(`${config}: ${have === undefined ? 'missing' : 'stale (the overlays\' recipients changed)'}; run \`infra-synth synth\` and commit it`);
  }
  return { findings, notes, ok };
}

/**
 * One encrypted file's audit: its recipients against its owner's (a cluster's overlay, or a
 * management overlay named by `where`), and its data key's age (a note for example placeholders).
 * Pushes findings and notes; true when the file passed.
 */
function auditFile(
  f: SecretFile,
  c: { owner: SopsRecipients; where?: string; dir: string; examples: ReadonlySet<string>; now: Date; max: number },
  findings: string[],
  notes: string[],
): boolean {
  const before = findings.length;
  const drift = recipientDrift(f, c.owner, c.where);
  if (drift) findings.push(drift);
  const rotate = `run \`infra-synth secrets rotate --cluster ${c.owner.name}\``;
  const age = ageDays(f, c.now);
  if (age === undefined) findings.push(`${f.path}: lastmodified ${JSON.stringify(f.metadata.lastmodified)} is not a timestamp; ${rotate}`);
  else if (age > c.max) {
    const overdue = `${f.path}: data key last rotated ${f.metadata.lastmodified} (${Math.floor(age)} days ago, over ${c.max})`;
    if (c.examples.has(c.owner.name)) notes.push(`${overdue}; an example placeholder (${join(c.dir, EXAMPLES_FILE)}), not a finding`);
    else findings.push(`${overdue}; ${rotate}`);
  }
  return findings.length === before;
}

/**
 * The audit of the management clusters' secrets: each file as a cluster's (encrypted, recipients
 * of its management overlay, data key age), plus what only a management cluster has: a folder
 * or a cluster's infra.management naming a management cluster without overlays/management/<name>.ts,
 * and provider credentials its bootstrap needs that are not committed.
 */
function auditManagementSecrets(specs: readonly ClusterSpec[], m: NonNullable<AuditOptions['managements']>, now: Date, max: number): AuditResult {
  const findings: string[] = [];
  const notes: string[] = [];
  let ok = 0;
  const known = new Set(m.specs.map((s) => s.name));
  const named = managementsOf(specs);
  for (const c of secretClusters(m.dir)) {
    if (!known.has(c)) findings.push(`${join(m.dir, c)}: secrets of management cluster ${c}, which has no overlays/${MANAGEMENT_OVERLAYS}/${c}.ts; add it with the cluster's age recipients, or delete the folder if the cluster is gone`);
  }
  for (const name of named) {
    if (!known.has(name)) findings.push(`overlays/${MANAGEMENT_OVERLAYS}/${name}.ts: missing; ${specs.filter((s) => managementOf(s) === name).map((s) => s.name).join(', ')} name management cluster ${name} (infra.management), whose secrets need its age recipients`);
  }
  const examples = exampleClusters(m.dir);
  for (const mgmt of m.specs) {
    const { files, problems } = readClusterSecrets(m.dir, mgmt.name);
    findings.push(...problems);
    for (const f of files) if (auditFile(f, { owner: mgmt, where: mgmt.file, dir: m.dir, examples, now, max }, findings, notes)) ok++;
    if (!named.includes(mgmt.name)) {
      notes.push(`${mgmt.file}: no cluster names management cluster ${mgmt.name} (infra.management); delete it if the cluster is gone`);
      continue;
    }
    for (const part of bootstrapParts(specs.filter((s) => managementOf(s) === mgmt.name))) {
      const c = part.credentials;
      if (files.some((f) => f.namespace === c.namespace && f.name === c.name)) continue;
      findings.push(`${secretFile(m.dir, mgmt.name, c.namespace, c.name)}: missing; ${part.description} on ${mgmt.name} reads ${c.holds}: run \`infra-synth secrets add ${mgmt.name} ${c.name} --namespace ${c.namespace} ${c.keys.map((k) => `--from-file ${k}=<file>`).join(' ')}\` (${c.docs})`);
    }
  }
  return { findings, notes, ok };
}

export interface AddManagementOptions {
  /** The management cluster (its overlay gives the recipients). */
  readonly management: ManagementSpec;
  /** Every workload cluster: those naming the management cluster decide which credentials it needs. */
  readonly fleet: readonly ClusterSpec[];
  /** management-secrets/ */
  readonly dir: string;
  readonly name: string;
  /** @default - the namespace of the provider that reads a Secret of this name */
  readonly namespace?: string;
  readonly literals?: readonly string[];
  readonly files?: readonly string[];
  readonly backend?: SopsBackend;
}

/**
 * Creates management-secrets/<mgmt>/<namespace>/<name>.enc.yaml: a SopsSecret encrypted to the
 * management overlay's recipients. A Secret a provider of its bootstrap reads must hold exactly
 * the keys that provider reads; nothing is written otherwise.
 */
export async function addManagementSecret(o: AddManagementOptions): Promise<{ path: string; namespace: string }> {
  const mgmt = o.management.name;
  if (!isSecretName(o.name)) throw new UserError(`${o.name}: not a Secret name (lower-case letters, digits, "-" and ".")`);
  const reads = bootstrapParts(o.fleet.filter((s) => managementOf(s) === mgmt)).map((p) => p.credentials).filter((c) => c.name === o.name);
  const namespace = o.namespace ?? (reads.length === 1 ? reads[0].namespace : undefined);
  if (!namespace) throw new UserError(`${mgmt}: no provider of management cluster ${mgmt} reads a Secret named ${o.name}; pass --namespace`);
  if (!isDnsLabel(namespace)) throw new UserError(`--namespace ${namespace}: not a namespace name`);
  const path = secretFile(o.dir, mgmt, namespace, o.name);
  if (existsSync(path)) throw new UserError(`${path}: exists; change it with \`infra-synth secrets rotate --cluster ${mgmt}\` or re-create it`);
  const template = templateOf(o);
  const expected = reads.find((c) => c.namespace === namespace);
  if (expected) {
    const given = [...Object.keys(template.stringData ?? {}), ...Object.keys(template.data ?? {})];
    const unknown = given.filter((k) => !expected.keys.includes(k));
    const absent = expected.keys.filter((k) => !given.includes(k));
    if (unknown.length || absent.length) {
      throw new UserError(`${mgmt}: Secret ${namespace}/${o.name} is read as the keys ${expected.keys.join(', ')}${unknown.length ? `; it never reads ${unknown.join(', ')}` : ''}${absent.length ? `; missing ${absent.join(', ')}` : ''}; nothing written`);
    }
  }
  const plain = yaml.dump(sopsSecretObject({ name: o.name, namespace, template }), { lineWidth: -1, noRefs: true });
  const backend = o.backend ?? selectBackend();
  writeAtomic(path, await backend.encrypt(plain, { format: 'yaml', recipients: o.management.secrets.ageRecipients, rules: SOPS_SECRET_RULES, name: path }));
  return { path, namespace };
}
