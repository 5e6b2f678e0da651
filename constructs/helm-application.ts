import { Construct } from 'constructs';
import type { ChartPin } from '../catalog/versions.js';
import type { ApplicationSpecIgnoreDifferences } from '../imports/argoproj.io.js';
import { ApplicationSource } from './application-source.js';
import { ArgoApplication, type SyncPolicy } from './argo-application.js';

export interface HelmApplicationProps {
  /** The Application's name. @default - the construct id */
  readonly name?: string;
  readonly argocdNamespace: string;
  readonly project: string;
  /** The chart, pinned in catalog/versions.ts. */
  readonly chart: ChartPin;
  /** Helm release name. @default - the Application's name */
  readonly releaseName?: string;
  /** Namespace the release is installed into. */
  readonly namespace: string;
  /** Chart values. @default - the chart's defaults */
  readonly values?: Record<string, unknown>;
  /** @default 0 */
  readonly syncWave?: number;
  readonly syncPolicy: SyncPolicy;
  /** @default false */
  readonly serverSideApply?: boolean;
  /** Leave the chart's crds/ folders out (Argo CD's helm.skipCrds). @default false */
  readonly skipCrds?: boolean;
  /** @default - none */
  readonly syncOptions?: readonly string[];
  /** Fields controllers own, ignored in the diff and on sync (see ArgoApplicationProps). @default - none */
  readonly ignoreDifferences?: readonly ApplicationSpecIgnoreDifferences[];
  /** Labels of the Application object. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations of the Application object, beside its sync wave. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An Argo CD Application that installs one pinned Helm chart with values. */
export class HelmApplication extends Construct {
  readonly application: ArgoApplication;

  constructor(scope: Construct, id: string, props: HelmApplicationProps) {
    super(scope, id);
    const name = props.name ?? id;
    this.application = new ArgoApplication(this, 'Application', {
      name,
      argocdNamespace: props.argocdNamespace,
      project: props.project,
      source: ApplicationSource.helmChart(props.chart, { releaseName: props.releaseName ?? name, values: props.values, skipCrds: props.skipCrds }),
      destinationNamespace: props.namespace,
      syncWave: props.syncWave,
      syncPolicy: props.syncPolicy,
      serverSideApply: props.serverSideApply,
      syncOptions: props.syncOptions,
      ignoreDifferences: props.ignoreDifferences,
      labels: props.labels,
      annotations: props.annotations,
    });
  }
}
