// Step 1: the cluster's overlay. Done when overlays/<cluster>.ts exists (then it is the person's
// file: never rewritten). Otherwise written from flags, or from prompts on a terminal.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { UserError } from '../primitives/errors.js';
import { PLATFORM_AGE_RECIPIENT } from '../spec/defaults.js';
import { cidrsOverlap } from '../spec/infra.js';
import { loadOverlayFiles, resolveFleet } from '../spec/load.js';
import { listOverlayFiles } from '../spec/overlay-files.js';
import { CLOUDS, ENVIRONMENTS, type Cloud, type ClusterSpec, type Environment } from '../spec/schema.js';
import { overlayFile, type OnboardPaths, type StepReport } from './step.js';

/** What a new overlay needs that no default gives. */
export interface ScaffoldAnswers {
  readonly cloud?: string;
  readonly environment?: string;
  /** The cluster's base domain, e.g. stage2.company.ru. */
  readonly domain?: string;
  /** The cluster's own age public key (its private half goes into the cluster at bootstrap). */
  readonly ageRecipient?: string;
  /** `opentofu` (a stack in dist/infra/<cluster>/) or `none`. @default opentofu */
  readonly infra?: string;
  /** A container registry the stack creates. @default - none */
  readonly registry?: string;
  /** Yandex: the KMS key Vault unseals with (`yc kms symmetric-key create`); asked only there. */
  readonly kmsKeyId?: string;
}

/** Asks one question; undefined when the person gives no answer. */
export type Ask = (question: string) => Promise<string | undefined>;

interface Question {
  readonly key: keyof ScaffoldAnswers;
  readonly flag: string;
  readonly prompt: string;
  readonly check: (v: string) => string | undefined;
  readonly optional?: boolean;
  /** Asked only when this holds of the answers so far. @default - always */
  readonly when?: (a: ScaffoldAnswers) => boolean;
}

const oneOf = (values: readonly string[]) => (v: string) => (values.includes(v) ? undefined : `expected one of ${values.join(', ')}`);

const QUESTIONS: readonly Question[] = [
  { key: 'cloud', flag: '--cloud', prompt: `cloud (${CLOUDS.join(', ')})`, check: oneOf(CLOUDS) },
  { key: 'environment', flag: '--environment', prompt: `environment (${ENVIRONMENTS.join(', ')})`, check: oneOf(ENVIRONMENTS) },
  { key: 'domain', flag: '--domain', prompt: 'base domain (e.g. stage2.company.ru)', check: (v) => (/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/.test(v) ? undefined : 'expected a lower-case DNS name such as stage2.company.ru') },
  { key: 'ageRecipient', flag: '--age-recipient', prompt: "the cluster's age public key (age1...)", check: (v) => (/^age1[02-9ac-hj-np-z]{58}$/.test(v) ? undefined : 'expected an age public key (age1 followed by 58 characters); `age-keygen -y key.txt` prints it') },
  { key: 'infra', flag: '--infra', prompt: 'infrastructure backend (opentofu, none) [opentofu]', check: oneOf(['opentofu', 'none']), optional: true },
  { key: 'registry', flag: '--registry', prompt: 'registry the stack creates (empty: none)', check: (v) => (/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v) ? undefined : 'expected a DNS label such as soft-yt'), optional: true },
  {
    key: 'kmsKeyId', flag: '--kms-key-id', prompt: 'Yandex KMS key for Vault\'s auto-unseal (yc kms symmetric-key create --name vault-unseal-<cluster>)',
    check: (v) => (/^[a-z0-9]{20}$/.test(v) ? undefined : 'expected a KMS key ID (20 lower-case letters and digits, abj...)'),
    when: (a) => a.cloud === 'yandex',
  },
];

/**
 * Fills what the flags did not give: from `ask` (a terminal), or fails naming every missing flag
 * (CI: never prompts). Bad values fail the same way, naming the flag.
 */
export async function completeAnswers(given: ScaffoldAnswers, ask: Ask | undefined): Promise<Required<Pick<ScaffoldAnswers, 'cloud' | 'environment' | 'domain' | 'ageRecipient'>> & ScaffoldAnswers> {
  const out: Record<string, string | undefined> = { ...given };
  const problems: string[] = [];
  for (const q of QUESTIONS) {
    if (q.when && !q.when(out as ScaffoldAnswers)) continue;
    let v = out[q.key];
    if (v === undefined && ask) {
      for (;;) {
        v = (await ask(`${q.prompt}: `))?.trim() || undefined;
        const bad = v === undefined ? (q.optional ? undefined : 'an answer is required') : q.check(v);
        if (!bad) break;
        process.stderr.write(`  ${bad}\n`);
      }
    }
    if (v === undefined) {
      if (!q.optional) problems.push(`${q.flag}: missing; stdin is not a terminal, so onboard asks nothing: give ${q.flag} <${q.prompt}>`);
      continue;
    }
    const bad = q.check(v);
    if (bad) problems.push(`${q.flag}: received "${v}"; ${bad}`);
    out[q.key] = v;
  }
  if (problems.length) throw new UserError(problems);
  return out as unknown as Required<Pick<ScaffoldAnswers, 'cloud' | 'environment' | 'domain' | 'ageRecipient'>> & ScaffoldAnswers;
}

/** Asks on the terminal, when stdin is one. */
export function terminalAsk(): { ask: Ask; close: () => void } | undefined {
  if (!process.stdin.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return { ask: (q) => rl.question(q), close: () => rl.close() };
}

/**
 * The first /16 triple (nodes 10.N, pods 10.N+100, services 10.N+200) no cluster of the fleet
 * uses, so that the new stack passes the fleet's range rule without anyone doing arithmetic.
 */
export function freeNetwork(fleet: readonly ClusterSpec[]): { nodesCidr: string; podsCidr: string; servicesCidr: string } | undefined {
  const used = fleet.flatMap((s) => [s.infra.network.nodesCidr, s.infra.network.podsCidr, s.infra.network.servicesCidr]);
  for (let n = 4; n <= 55; n++) {
    const net = { nodesCidr: `10.${n}.0.0/16`, podsCidr: `10.${n + 100}.0.0/16`, servicesCidr: `10.${n + 200}.0.0/16` };
    if (Object.values(net).every((c) => used.every((u) => !cidrsOverlap(c, u)))) return net;
  }
  return undefined;
}

/** The overlay's TypeScript text. */
export function overlayText(cluster: string, a: ScaffoldAnswers & { cloud: string; environment: string; domain: string; ageRecipient: string }, network?: ReturnType<typeof freeNetwork>): string {
  const backend = a.infra ?? 'opentofu';
  const infra = [`backend: '${backend}'`];
  if (backend === 'opentofu' && network) infra.push(`network: { nodesCidr: '${network.nodesCidr}', podsCidr: '${network.podsCidr}', servicesCidr: '${network.servicesCidr}' }`);
  if (a.registry) infra.push(`registry: { name: '${a.registry}' }`);
  const lines = [
    "import type { ClusterOverlay } from '../spec/overlay.js';",
    '',
    `// ${cluster}: scaffolded by \`infra-synth onboard ${cluster}\`; every other field takes the defaults of`,
    `// its cloud and environment (README "The overlay model"). Edit freely: onboard never rewrites it.`,
    'export default {',
    `  cloud: '${a.cloud}',`,
    `  environment: '${a.environment}',`,
    `  domain: '${a.domain}',`,
    `  infra: { ${infra.join(', ')} },`,
  ];
  const vault: string[] = [];
  if (a.kmsKeyId) vault.push(`seal: { yandexcloudkms: { kmsKeyId: '${a.kmsKeyId}' } }`);
  if (backend === 'opentofu') {
    // The fleet's shared bucket defaults fit one stack per object store: a new stack names its own.
    lines.push(`  backup: { bucket: '${cluster}-velero' },`);
    vault.push(`snapshots: { bucket: '${cluster}-vault-snapshots' }`);
  }
  if (vault.length) lines.push(`  vault: { ${vault.join(', ')} },`);
  lines.push(
    `  // The cluster's own key first; the platform team's key lets admins rotate and audit.`,
    `  secrets: { ageRecipients: ['${a.ageRecipient}', '${PLATFORM_AGE_RECIPIENT}'] },`,
    '} satisfies ClusterOverlay;',
    '',
  );
  return lines.join('\n');
}

/** The step. `ask` is there only on a terminal. */
export async function scaffoldStep(p: OnboardPaths, given: ScaffoldAnswers, ask: Ask | undefined): Promise<StepReport> {
  const file = overlayFile(p);
  if (existsSync(file)) {
    const ignored = QUESTIONS.filter((q) => given[q.key] !== undefined).map((q) => q.flag);
    return {
      step: 'scaffold', state: 'done',
      lines: [`${file} exists: left as it is${ignored.length ? ` (${ignored.join(', ')} ignored: edit the file instead)` : ''}`],
    };
  }
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(p.cluster)) {
    throw new UserError(`<cluster>: received "${p.cluster}"; a cluster name is a DNS label (lower-case letters, digits and "-"), e.g. yc-stage`);
  }
  const answers = await completeAnswers(given, ask);
  const fleet = existsSync(p.overlaysDir) && listOverlayFiles(p.overlaysDir).length
    ? resolveFleet(await loadOverlayFiles(listOverlayFiles(p.overlaysDir)))
    : [];
  const network = (answers.infra ?? 'opentofu') === 'opentofu' ? freeNetwork(fleet) : undefined;
  mkdirSync(p.overlaysDir, { recursive: true });
  writeFileSync(file, overlayText(p.cluster, answers, network));
  return {
    step: 'scaffold', state: 'did',
    lines: [
      `wrote ${file} (${answers.cloud as Cloud}, ${answers.environment as Environment}, ${answers.domain})`,
      ...(network ? [`address ranges ${network.nodesCidr}, ${network.podsCidr}, ${network.servicesCidr}: the first no cluster of the fleet uses`] : []),
    ],
  };
}
