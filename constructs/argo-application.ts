import { Construct } from 'constructs';
import { Application, type ApplicationSpecIgnoreDifferences } from '../imports/argoproj.io.js';
import type { ApplicationSource } from './application-source.js';
import { invalidProp, requireDnsLabel } from './validation.js';

/** The API server of the cluster Argo CD runs in. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Cascade delete: deleting the Application deletes what it deployed. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** How Argo CD syncs an Application. */
export interface SyncPolicy {
  /** Sync on its own when Git changes. */
  readonly automated: boolean;
  /** Automated sync deletes objects that left Git. Ignored when not automated. */
  readonly prune: boolean;
  /** Automated sync reverts changes made in the cluster by hand. Ignored when not automated. */
  readonly selfHeal: boolean;
}

export interface ArgoApplicationProps {
  /** The Application's name. @default - the construct id */
  readonly name?: string;
  /** Namespace of the Argo CD instance that owns the Application. */
  readonly argocdNamespace: string;
  /** AppProject the Application belongs to; it must permit the source and destination. */
  readonly project: string;
  readonly source: ApplicationSource;
  /** Namespace the manifests are applied to (where they name none). */
  readonly destinationNamespace: string;
  /** API server of the target cluster. @default IN_CLUSTER */
  readonly destinationServer?: string;
  /** Sync wave among the root Application's children: lower waves sync first. @default 0 */
  readonly syncWave?: number;
  readonly syncPolicy: SyncPolicy;
  /**
   * Apply with server-side apply: needed for objects over the 256 KiB last-applied annotation
   * limit, such as large CRDs. @default false
   */
  readonly serverSideApply?: boolean;
  /** Further `syncOptions`, e.g. `SkipDryRunOnMissingResource=true`. @default - none */
  readonly syncOptions?: readonly string[];
  /**
   * Fields a controller in the cluster owns (e.g. by `managedFieldsManagers`), left out of the
   * diff; `RespectIgnoreDifferences=true` is added so that a sync does not overwrite them either.
   * @default - none
   */
  readonly ignoreDifferences?: readonly ApplicationSpecIgnoreDifferences[];
  /** Deleting the Application deletes what it deployed. @default true */
  readonly cascadeDelete?: boolean;
  /** Labels of the Application object. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations of the Application object, beside its sync wave. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An Argo CD Application with the platform's conventions: waves, retries, finalizer, sync policy. */
export class ArgoApplication extends Construct {
  readonly name: string;
  readonly project: string;
  readonly source: ApplicationSource;
  readonly destinationNamespace: string;
  readonly destinationServer: string;
  readonly syncWave: number;

  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.project = props.project;
    this.source = props.source;
    this.destinationNamespace = props.destinationNamespace;
    this.destinationServer = props.destinationServer ?? IN_CLUSTER;
    this.syncWave = props.syncWave ?? 0;

    requireDnsLabel(this, 'name', this.name);
    requireDnsLabel(this, 'argocdNamespace', props.argocdNamespace);
    requireDnsLabel(this, 'project', props.project);
    requireDnsLabel(this, 'destinationNamespace', props.destinationNamespace);
    if (!Number.isInteger(this.syncWave)) invalidProp(this, 'syncWave', props.syncWave, 'an integer');
    const sourceProblems = props.source.problems();
    if (sourceProblems.length) throw new Error(`${this.node.path}: ${sourceProblems.join('; ')}`);

    const syncOptions = [
      ...(props.serverSideApply ? ['ServerSideApply=true'] : []),
      ...(props.syncOptions ?? []),
      ...(props.ignoreDifferences?.length ? ['RespectIgnoreDifferences=true'] : []),
    ];
    const { automated, prune, selfHeal } = props.syncPolicy;
    new Application(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: props.argocdNamespace,
        annotations: { ...props.annotations, 'argocd.argoproj.io/sync-wave': String(this.syncWave) },
        ...(props.labels && Object.keys(props.labels).length ? { labels: { ...props.labels } } : {}),
        ...(props.cascadeDelete ?? true ? { finalizers: [RESOURCES_FINALIZER] } : {}),
      },
      spec: {
        project: props.project,
        source: props.source.toSpec(),
        destination: { server: this.destinationServer, namespace: props.destinationNamespace },
        ...(props.ignoreDifferences?.length ? { ignoreDifferences: props.ignoreDifferences.map((d) => ({ ...d })) } : {}),
        syncPolicy: {
          ...(automated ? { automated: { prune, selfHeal } } : {}),
          ...(syncOptions.length ? { syncOptions } : {}),
          retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
        },
      },
    });
  }
}
