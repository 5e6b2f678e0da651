// `onboard <cluster> --verify`: is the bootstrapped cluster working? Read-only checks through
// kubectl with the given kubeconfig: the root Application synced and healthy (the root waits for
// each wave, so that means every platform Application is), every ClusterIssuer ready, the
// platform's certificates issued, Velero's backup location available. Without a kubeconfig it
// prints what it would check.
import { execa } from 'execa';
import { VELERO_NAMESPACE } from '../charts/backup.js';
import { loadFleet } from '../spec/load.js';
import type { OnboardPaths, StepReport } from './step.js';

interface Check {
  readonly what: string;
  readonly args: readonly string[];
  /** Problems found in the JSON kubectl printed; none: the check passed. */
  readonly judge: (data: { items?: K8sObject[] } & K8sObject) => string[];
}

interface K8sObject {
  metadata?: { name?: string; namespace?: string };
  status?: { sync?: { status?: string }; health?: { status?: string }; phase?: string; conditions?: { type: string; status: string; message?: string }[] };
}

const nameOf = (o: K8sObject) => `${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
const ready = (o: K8sObject) => o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const why = (o: K8sObject) => o.status?.conditions?.find((c) => c.type === 'Ready')?.message ?? 'no Ready condition';

function allReady(kind: string, items: readonly K8sObject[] | undefined, isReady: (o: K8sObject) => boolean, reason: (o: K8sObject) => string): string[] {
  if (!items?.length) return [`no ${kind} found`];
  return items.filter((o) => !isReady(o)).map((o) => `${kind} ${nameOf(o)}: ${reason(o)}`);
}

function checks(argocdNamespace: string): Check[] {
  return [
    {
      what: `root Application (${argocdNamespace}/root) Synced and Healthy`,
      args: ['get', 'applications.argoproj.io', 'root', '-n', argocdNamespace, '-o', 'json'],
      judge: (app) => {
        const sync = app.status?.sync?.status, health = app.status?.health?.status;
        return sync === 'Synced' && health === 'Healthy' ? [] : [`Application ${argocdNamespace}/root: sync ${sync ?? 'unknown'}, health ${health ?? 'unknown'} (argocd app get root shows which child waits)`];
      },
    },
    {
      what: 'every ClusterIssuer Ready',
      args: ['get', 'clusterissuers.cert-manager.io', '-o', 'json'],
      judge: (l) => allReady('ClusterIssuer', l.items, ready, why),
    },
    {
      what: 'the platform\'s Certificates issued (Ready)',
      args: ['get', 'certificates.cert-manager.io', '--all-namespaces', '-o', 'json'],
      judge: (l) => allReady('Certificate', l.items, ready, why),
    },
    {
      what: `Velero's BackupStorageLocation Available`,
      args: ['get', 'backupstoragelocations.velero.io', '-n', VELERO_NAMESPACE, '-o', 'json'],
      judge: (l) => allReady('BackupStorageLocation', l.items, (o) => o.status?.phase === 'Available', (o) => `phase ${o.status?.phase ?? 'unknown'} (velero backup-location get shows why)`),
    },
  ];
}

export async function verifyCluster(p: OnboardPaths, kubeconfig: string | undefined): Promise<StepReport> {
  const [spec] = await loadFleet(p.overlaysDir, [p.cluster]);
  const list = checks(spec.argocd.namespace);
  if (!kubeconfig) {
    return {
      step: 'verify', state: 'skipped',
      lines: ['no --kubeconfig: would check, read-only, with kubectl:', ...list.map((c) => `  ${c.what}: kubectl ${c.args.join(' ')}`)],
      next: `infra-synth onboard ${p.cluster} --verify --kubeconfig <file>`,
    };
  }
  const lines: string[] = [];
  let failed = 0;
  for (const c of list) {
    let problems: string[];
    try {
      const r = await execa('kubectl', ['--kubeconfig', kubeconfig, ...c.args]);
      problems = c.judge(JSON.parse(r.stdout));
    } catch (e) {
      const err = e as { stderr?: string; shortMessage?: string };
      problems = [`kubectl ${c.args.slice(0, 2).join(' ')} failed: ${(err.stderr || err.shortMessage || String(e)).split('\n')[0]}`];
    }
    if (problems.length) failed++;
    lines.push(`${problems.length ? 'FAIL' : 'ok  '} ${c.what}`, ...problems.map((x) => `     ${x}`));
  }
  return {
    step: 'verify', state: failed ? 'waiting' : 'done', lines,
    next: failed ? `${failed} check(s) failed; fix them (or wait for the sync) and run --verify again` : undefined,
  };
}
