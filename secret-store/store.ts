// The encrypted secrets kept in this repository: secrets/<cluster>/<namespace>/<name>.enc.yaml.
// Everything here works without any key: it reads the files' plaintext parts (the SopsSecret's
// metadata, the sops block) and never decrypts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { readMetadata, type SopsFileMetadata } from '../sops/index.js';
import { parseMetadata, summarize } from '../sops/metadata.js';
import { UserError } from '../primitives/errors.js';
import { SOPS_SECRET_API_VERSION, SOPS_SECRET_KIND, SOPS_SECRET_RULES, plaintextTemplateValues } from './sops-secret.js';

export const ENC_SUFFIX = '.enc.yaml';
/** Lower-case RFC 1123 label: namespace and cluster folder names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** RFC 1123 subdomain: Secret names. */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDnsLabel(s: string): boolean {
  return DNS_LABEL.test(s);
}
export function isSecretName(s: string): boolean {
  return DNS_SUBDOMAIN.test(s);
}

/** Where a repository keeps its secrets by default: `secrets/` next to the overlays folder. */
export function defaultSecretsDir(overlaysDir: string): string {
  return join(dirname(overlaysDir), 'secrets');
}

/** `secrets/<cluster>/<namespace>/<name>.enc.yaml` */
export function secretFile(secretsDir: string, cluster: string, namespace: string, name: string): string {
  return join(secretsDir, cluster, namespace, `${name}${ENC_SUFFIX}`);
}

/** Where synth carries a secret in the rendered tree (one flat folder per cluster). */
export function secretOutputPath(cluster: string, namespace: string, name: string): string {
  return `clusters/${cluster}/secrets/${namespace}.${name}${ENC_SUFFIX}`;
}

/** One encrypted secret file, as read without a key. */
export interface SecretFile {
  /** The file's path (secretsDir joined with cluster/namespace/name.enc.yaml). */
  readonly path: string;
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
  /** The file's bytes, as read: synth writes them unchanged. */
  readonly text: string;
  readonly object: Record<string, any>;
  readonly metadata: SopsFileMetadata;
}

export interface ClusterSecrets {
  readonly files: SecretFile[];
  /** One line per problem, each naming its file. */
  readonly problems: string[];
}

/** The clusters that have a folder under the secrets dir (sorted). */
export function secretClusters(secretsDir: string): string[] {
  if (!existsSync(secretsDir)) return [];
  return readdirSync(secretsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

const NOT_HERE = 'only SOPS-encrypted SopsSecrets (<name>.enc.yaml) belong here; plaintext must never be committed';

/**
 * Reads and checks a cluster's secret files (sorted by path). Key-free checks: the layout, that
 * each file is SOPS-encrypted with `encrypted_suffix: Templates`, that every template value is
 * ciphertext, and that the SopsSecret's name and namespace match its path.
 */
export function readClusterSecrets(secretsDir: string, cluster: string): ClusterSecrets {
  const dir = join(secretsDir, cluster);
  const files: SecretFile[] = [];
  const problems: string[] = [];
  if (!existsSync(dir)) return { files, problems };
  for (const ns of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (ns.name.startsWith('.')) continue;
    const nsPath = join(dir, ns.name);
    if (!ns.isDirectory()) {
      problems.push(`${nsPath}: a file directly under ${dir}; secrets go in ${join(dir, '<namespace>', `<name>${ENC_SUFFIX}`)}`);
      continue;
    }
    if (!isDnsLabel(ns.name)) {
      problems.push(`${nsPath}: "${ns.name}" is not a namespace name (lower-case letters, digits and "-")`);
      continue;
    }
    for (const entry of readdirSync(nsPath, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(nsPath, entry.name);
      if (!entry.isFile() || !entry.name.endsWith(ENC_SUFFIX)) {
        problems.push(`${path}: not a *${ENC_SUFFIX} file; ${NOT_HERE}`);
        continue;
      }
      const r = readSecretFile(path, { cluster, namespace: ns.name, name: entry.name.slice(0, -ENC_SUFFIX.length) });
      if ('problem' in r) problems.push(r.problem);
      else files.push(r);
    }
  }
  return { files, problems };
}

/** Reads one file and checks it key-free; returns its one problem instead when it has any. */
export function readSecretFile(path: string, at: { cluster: string; namespace: string; name: string }): SecretFile | { problem: string } {
  const bad = (msg: string) => ({ problem: `${path}: ${msg}` });
  if (!isSecretName(at.name)) return bad(`"${at.name}" is not a Secret name (lower-case letters, digits, "-" and ".")`);
  const text = readFileSync(path, 'utf8');
  let docs: unknown[];
  try {
    // The core schema reads timestamps as strings, as Kubernetes (and YAML 1.2) do.
    docs = yaml.loadAll(text, undefined, { schema: yaml.CORE_SCHEMA }).filter((d) => d !== null && d !== undefined);
  } catch {
    // The parser's message may quote the file, which could be plaintext: never echo it.
    return bad('not valid YAML');
  }
  if (docs.length !== 1 || typeof docs[0] !== 'object' || Array.isArray(docs[0])) {
    return bad(`expected exactly one YAML document (a SopsSecret), found ${docs.length}`);
  }
  const object = docs[0] as Record<string, any>;
  // The sops store's own parse (readMetadata) is the authority; this cheap look saves a parse
  // for the common refusal and gives the message that says what to do.
  if (!object.sops || typeof object.sops !== 'object') {
    return bad(`not SOPS-encrypted (no sops metadata); ${NOT_HERE}. Encrypt it with \`infra-synth secrets add ${at.cluster} ${at.name} --namespace ${at.namespace} ...\` and delete the plaintext`);
  }
  let metadata: SopsFileMetadata;
  try {
    metadata = metadataOf(object.sops, text, path);
  } catch (e) {
    return { problem: e instanceof UserError ? e.message : `${path}: unreadable sops metadata` };
  }
  if (object.apiVersion !== SOPS_SECRET_API_VERSION || object.kind !== SOPS_SECRET_KIND) {
    return bad(`expected apiVersion ${SOPS_SECRET_API_VERSION}, kind ${SOPS_SECRET_KIND} (what sops-secrets-operator decrypts); found ${object.apiVersion ?? '(none)'}, ${object.kind ?? '(none)'}`);
  }
  if (object.metadata?.name !== at.name || object.metadata?.namespace !== at.namespace) {
    return bad(`metadata is ${object.metadata?.namespace ?? '(no namespace)'}/${object.metadata?.name ?? '(no name)'}, but the path says ${at.namespace}/${at.name}; the path decides where the Secret lands, so they must agree`);
  }
  const suffix = SOPS_SECRET_RULES.encrypted_suffix;
  if (metadata.rules.encrypted_suffix !== suffix) {
    const used = Object.entries(metadata.rules).map(([k, v]) => `${k}: ${v}`).join(', ') || "sops' default (unencrypted_suffix: _unencrypted)";
    return bad(`encrypted with ${used}; sops-secrets-operator needs encrypted_suffix: ${suffix} (re-create it with \`infra-synth secrets add\`)`);
  }
  const plain = plaintextTemplateValues(object);
  if (!Array.isArray(object.spec?.secretTemplates) || object.spec.secretTemplates.length === 0) {
    return bad('spec.secretTemplates is missing or empty');
  }
  if (plain.length) return bad(`values not encrypted: ${plain.join(', ')}`);
  return { path, ...at, text, object, metadata };
}

/**
 * The sops block as the sops module reads it. The block js-yaml already parsed is used when its
 * timestamp is a plain string (what sops writes): that saves the second, slower parse, which is
 * most of synth's cost per secret. Anything unusual goes through the sops store's own reader.
 */
function metadataOf(block: Record<string, unknown>, text: string, path: string): SopsFileMetadata {
  if (typeof block.lastmodified === 'string') return summarize(parseMetadata(block, path));
  return readMetadata(text, 'yaml', path);
}

/** A cluster's secret file, found by name (and namespace when the name is in several). */
export function findSecretFile(secretsDir: string, cluster: string, name: string, namespace?: string): string {
  if (namespace) {
    const p = secretFile(secretsDir, cluster, namespace, name);
    if (!existsSync(p)) throw new UserError(`${p}: no such secret (list them with \`ls ${join(secretsDir, cluster)}/*\`)`);
    return p;
  }
  const dir = join(secretsDir, cluster);
  const hits = existsSync(dir)
    ? readdirSync(dir).filter((ns) => existsSync(secretFile(secretsDir, cluster, ns, name)) && statSync(join(dir, ns)).isDirectory()).sort()
    : [];
  if (hits.length === 1) return secretFile(secretsDir, cluster, hits[0], name);
  if (hits.length === 0) throw new UserError(`${cluster}: no secret named ${name} under ${dir}/<namespace>/`);
  throw new UserError(`${cluster}: secret ${name} exists in namespaces ${hits.join(', ')}; pass --namespace`);
}

/** The name part of a secret path (`<name>.enc.yaml` → `<name>`). */
export function secretNameOf(path: string): string {
  return basename(path).slice(0, -ENC_SUFFIX.length);
}
