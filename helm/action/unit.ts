// Rendering as helm-unittest does (its TestJob.renderV3Chart): no release-name check, release
// `RELEASE-NAME` in namespace `NAMESPACE` by default, and a copy of the chart tree that keeps
// only the templates under test plus every partial, so a broken template elsewhere does not
// fail the render. NOTES.txt is printed like any other selected template.
import { compareBytewise } from '../encoding/json.js';
import { Chart } from '../chart/chart.js';
import { processDependencies } from '../chartutil/dependencies.js';
import { toRenderValues } from '../chartutil/values.js';
import { Engine } from '../engine/engine.js';
import { clientCapabilities } from './install.js';
import { parseSimpleHead, splitManifests } from './sort.js';
import type { RenderChartOptions, RenderedManifest, RenderResult } from './template.js';

// helm-unittest's getTemplateFileName: a bare file name means one under templates/.
function templateFileName(name: string): string {
  if (['templates', 'charts', 'crds', '**'].some((p) => name.startsWith(p))) return name;
  return `templates/${name}`;
}

// helm-unittest's getTemplateFileNamePattern: `**` and `*` are wildcards, the rest is literal,
// and the pattern is searched for anywhere in the template's full path.
function templatePattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    if (pattern.startsWith('**', i)) {
      re += '[0-9a-zA-Z_\\-/\\.]+';
      i++;
    } else if (pattern[i] === '*') {
      re += '[0-9a-zA-Z_\\-/\\.]*';
    } else {
      re += pattern[i]!.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  return new RegExp(re);
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** A copy of the chart tree keeping the selected templates and all partials. */
function filterChart(c: Chart, patterns: RegExp[]): Chart {
  const copy = c.shallowCopy(c.metadata);
  const full = c.chartFullPath();
  copy.templates = c.templates.filter(
    (t) => baseName(t.name).startsWith('_') || patterns.some((p) => p.test(`${full}/${t.name}`)),
  );
  copy.setDependencies(...c.dependencies().map((d) => filterChart(d, patterns)));
  return copy;
}

export function renderUnit(chart: Chart, values: Record<string, unknown>, options: RenderChartOptions): Omit<RenderResult, 'readsEntropy'> {
  const isUpgrade = options.isUpgrade === true;
  const processed = processDependencies(chart, values);
  const caps = clientCapabilities(options.kubeVersion, options.apiVersions);
  const renderValues = toRenderValues(
    processed,
    values,
    {
      name: options.releaseName ?? 'RELEASE-NAME',
      namespace: options.namespace ?? 'NAMESPACE',
      revision: 1,
      isInstall: !isUpgrade,
      isUpgrade,
    },
    caps,
  );
  const selected = options.showOnly && options.showOnly.length > 0 ? options.showOnly : ['**'];
  const patterns = selected.map((s) => templatePattern(`${chart.name()}/${templateFileName(s)}`));
  const files = new Engine({ lookup: options.lookup }).render(filterChart(processed, patterns), renderValues);

  const manifests: RenderedManifest[] = [];
  let notes = '';
  let output = '';
  for (const source of Object.keys(files).sort(compareBytewise)) {
    const content = files[source]!;
    if (source.endsWith('.txt')) {
      if (source.endsWith('NOTES.txt')) notes = content;
      output += `---\n# Source: ${source}\n${content}\n`;
      continue;
    }
    for (const doc of splitManifests(content)) {
      let kind: string | undefined;
      try {
        kind = parseSimpleHead(doc).kind || undefined;
      } catch {
        kind = undefined;
      }
      manifests.push({ source, content: doc, kind });
      output += `---\n# Source: ${source}\n${doc}\n`;
    }
  }
  return { manifests, hooks: [], crds: [], notes, output };
}
