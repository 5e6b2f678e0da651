import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { ApplicationSource } from '../constructs/application-source.js';
import { ArgoApplication } from '../constructs/argo-application.js';
import { HelmApplication } from '../constructs/helm-application.js';
import type { ClusterSpec } from '../spec/schema.js';
import { PLATFORM_PROJECT } from './bootstrap.js';
import { FOREIGN_NAMESPACES_ANNOTATION } from '../primitives/annotations.js';
import { WAVES, type ResolvedComponent } from './component.js';

export interface AppsChartProps {
  readonly spec: ClusterSpec;
  readonly components: readonly ResolvedComponent[];
  /** Names of the component folders that hold objects (they get a directory Application). */
  readonly componentsWithObjects: ReadonlySet<string>;
  readonly clusterPath: string;
}

/** The root Application's children: one Application per chart and per folder of objects. */
export class AppsChart extends Chart {
  constructor(scope: Construct, id: string, props: AppsChartProps) {
    super(scope, id);
    const { spec, clusterPath } = props;
    const common = {
      argocdNamespace: spec.argocd.namespace,
      syncPolicy: spec.argocd.sync,
      labels: { cluster: spec.name, env: spec.environment },
    };
    const gitDir = (path: string) => ApplicationSource.gitDirectory({
      repoURL: spec.gitops.repoURL, targetRevision: spec.gitops.targetRevision, path,
    });

    if (spec.teams.length) {
      new ArgoApplication(this, 'projects', {
        ...common,
        project: PLATFORM_PROJECT,
        source: gitDir(`${clusterPath}/projects`),
        destinationNamespace: spec.argocd.namespace,
        syncWave: WAVES.projects,
      });
    }

    for (const c of props.components) {
      if (c.helm) {
        new HelmApplication(this, c.name, {
          ...common,
          project: PLATFORM_PROJECT,
          chart: c.helm.chart,
          releaseName: c.helm.releaseName,
          namespace: c.namespace,
          values: c.helm.values,
          syncWave: c.helm.wave ?? WAVES.operators,
          serverSideApply: c.helm.serverSideApply,
          skipCrds: c.helm.skipCrds,
          ignoreDifferences: c.helm.ignoreDifferences,
          // Says where else the chart writes, so that the project's fence can be checked.
          annotations: c.foreignObjects?.length
            ? { [FOREIGN_NAMESPACES_ANNOTATION]: [...new Set(c.foreignObjects.map((f) => f.namespace))].sort().join(',') }
            : undefined,
        });
      }
      if (props.componentsWithObjects.has(c.name)) {
        new ArgoApplication(this, c.helm ? `${c.name}-config` : c.name, {
          ...common,
          project: PLATFORM_PROJECT,
          source: gitDir(`${clusterPath}/${c.name}`),
          destinationNamespace: c.namespace,
          syncWave: c.objectsWave ?? WAVES.config,
          syncOptions: c.objectsSyncOptions,
        });
      }
    }

    // Each team namespace gets an Application reading the team's own deploy repository; the
    // team's AppProject limits it to that repository and namespace.
    for (const team of spec.teams) {
      for (const ns of team.namespaces) {
        new ArgoApplication(this, `team-${ns}`, {
          ...common,
          project: team.name,
          source: ApplicationSource.gitDirectory({ repoURL: team.repos[0], targetRevision: 'main', path: `deploy/${spec.name}/${ns}` }),
          destinationNamespace: ns,
          syncWave: WAVES.teams,
        });
      }
    }
  }
}
