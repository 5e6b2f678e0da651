// The renderer behind the runner, as helm-unittest's TestJob.renderV3Chart calls Helm: enabled
// dependencies and import-values (ProcessDependenciesWithMerge), values coalesced and checked
// against the schemas, Capabilities with only the test's API versions (the plugin replaces
// Helm's defaults), the chart version overrides written into the metadata the templates see,
// and Helm's engine run over a copy of the tree keeping the selected templates and all partials.
import type { Chart } from '../chart/chart.js';
import { BuildInfo, Capabilities, KubeVersion, VersionSet } from '../chartutil/capabilities.js';
import { processDependencies } from '../chartutil/dependencies.js';
import { toRenderValues } from '../chartutil/values.js';
import { Engine } from '../engine/engine.js';
import type { UnitRenderer, UnitRenderRequest, UnitRenderResult } from './runner.js';

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** CopyV3Chart: the same charts (and metadata objects) with only the wanted templates. */
function filterTemplates(c: Chart, select: (fullName: string) => boolean): Chart {
  const copy = c.shallowCopy(c.metadata);
  const full = c.chartFullPath();
  copy.templates = c.templates.filter((t) => select(`${full}/${t.name}`) || baseName(t.name).startsWith('_'));
  copy.setDependencies(...c.dependencies().map((d) => filterTemplates(d, select)));
  return copy;
}

function capabilities(req: UnitRenderRequest): Capabilities {
  // chartutil.DefaultCapabilities of a Helm built without ldflags: Kubernetes 1.20.
  const major = req.kubeMajor || '1';
  const minor = req.kubeMinor || '20';
  return new Capabilities(new KubeVersion(`v${major}.${minor}.0`, major, minor), new VersionSet(req.apiVersions), new BuildInfo());
}

/** A renderer for `chart` (loaded once; every test renders its own copy). */
export function chartRenderer(chart: Chart): UnitRenderer {
  return (req: UnitRenderRequest): UnitRenderResult => {
    const processed = processDependencies(chart, req.values);
    const values = toRenderValues(
      processed,
      req.values,
      { name: req.release.name, namespace: req.release.namespace, revision: req.release.revision, isInstall: !req.release.isUpgrade, isUpgrade: req.release.isUpgrade },
      capabilities(req),
    );
    // ModifyChartMetadata: the chart and its direct dependencies, after the values were built
    // (they hold the same metadata objects, so templates see the overrides).
    for (const c of [processed, ...processed.dependencies()]) {
      if (req.chartVersion) c.metadata.Version = req.chartVersion;
      if (req.appVersion) c.metadata.AppVersion = req.appVersion;
    }
    const files = new Engine({ lookup: req.lookup }).render(filterTemplates(processed, req.selectTemplate), values);
    const crds: Record<string, string> = {};
    if (req.includeCrds) {
      for (const crd of processed.crdObjects()) crds[crd.filename] = new TextDecoder().decode(crd.file.data);
    }
    return { files, crds };
  };
}
