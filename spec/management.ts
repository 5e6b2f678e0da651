// A management cluster's own settings: overlays/management/<name>.ts. A management cluster runs
// Crossplane or Cluster API for the workload clusters whose overlays name it (infra.management);
// it has no platform tree of its own here, so all this tree needs of it is who may decrypt its
// secrets (management-secrets/<name>/): the age recipients its provider credentials are
// encrypted to. synth checks the committed credentials against them, `.sops.yaml` gets a rule
// for them, and `secrets add|rotate|audit` treat them as they treat a cluster's.
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../primitives/errors.js';
import { describeIssue, dotted, loadOverlayFiles } from './load.js';
import { ageRecipient } from './schema.js';

/** Folder of the management clusters' settings, inside the overlays folder. */
export const MANAGEMENT_OVERLAYS = 'management';

/** What overlays/management/<name>.ts exports (`export default { ... } satisfies ManagementOverlay`). */
export interface ManagementOverlay {
  readonly secrets: {
    /**
     * age public keys its secrets are encrypted to: the management cluster's own key (held by its
     * sops-secrets-operator) and the platform team's. No default: a key nobody holds would make
     * every credential undecryptable.
     */
    readonly ageRecipients: readonly string[];
  };
}

/** A loaded, checked management overlay. */
export interface ManagementSpec extends ManagementOverlay {
  /** Its file name without `.ts`: the name the workload overlays give in infra.management. */
  readonly name: string;
  /** The file, as shown in messages. */
  readonly file: string;
}

const managementSchema = z.strictObject({
  secrets: z.strictObject({ ageRecipients: z.array(ageRecipient).min(1) }),
});

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** overlays/management/ of an overlays folder. */
export function managementOverlaysDir(overlaysDir: string): string {
  return join(overlaysDir, MANAGEMENT_OVERLAYS);
}

/**
 * Every management overlay of the folder (none when overlays/management/ does not exist), sorted
 * by name. Throws one UserError naming each file and field that is wrong.
 */
export async function loadManagements(overlaysDir: string): Promise<ManagementSpec[]> {
  const dir = managementOverlaysDir(overlaysDir);
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.d.ts') && !n.startsWith('_')).sort().map((n) => join(dir, n));
  if (!files.length) return [];
  const problems: string[] = [];
  const out: ManagementSpec[] = [];
  for (const src of await loadOverlayFiles(files)) {
    const at = (path: string, msg: string) => `${src.file}: ${path || '(management overlay)'}: ${msg}`;
    const name = basename(src.file, '.ts');
    if (!DNS_LABEL.test(name)) problems.push(at('', `the file name "${name}" must be a DNS label: it is the name workload overlays give in infra.management`));
    const parsed = managementSchema.safeParse(src.overlay);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(at(dotted(issue.path), describeIssue(issue, src.overlay)));
      continue;
    }
    out.push({ name, file: src.file, secrets: parsed.data.secrets });
  }
  if (problems.length) throw new UserError(problems);
  return out;
}
