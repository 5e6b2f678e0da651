// Every chart folder of the reference data renders with its own default values (release `r`,
// namespace `default`, Kubernetes 1.30), as `helm template` renders it. Where helm itself
// refuses such a render, the test expects helm's refusal, with the reason.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ChartInputError, renderChart } from '../../../helm/index.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';

const CHARTS = 'helm/charts';

/** Charts helm refuses to render this way, with the start of helm's error. */
const HELM_REFUSES: Record<string, { error: string; why: string }> = {
  'kube-prometheus-stack-88.5.3': {
    error: 'An error occurred while checking for chart dependencies.',
    why: 'the reference folder does not vendor its grafana/kube-state-metrics/node-exporter subcharts',
  },
  'loki-18.11.0': {
    error: 'An error occurred while checking for chart dependencies.',
    why: 'the reference folder does not vendor its minio/rollout-operator subcharts',
  },
  'linkerd-control-plane-2026.8.3': {
    error: 'chart requires kubeVersion: >=1.31.0-0 which is incompatible with Kubernetes v1.30',
    why: 'the chart requires Kubernetes 1.31',
  },
  'linkerd-crds-2026.8.3': {
    error: 'chart requires kubeVersion: >=1.31.0-0 which is incompatible with Kubernetes v1.30',
    why: 'the chart requires Kubernetes 1.31',
  },
  'opentelemetry-collector-0.170.0': {
    error: "execution error at (opentelemetry-collector/templates/NOTES.txt:2:3): [ERROR] 'image.repository' must be set.",
    why: 'the chart makes its user choose an image',
  },
};

describeWithReferenceData('pinned charts render with their default values', CHARTS, () => {
  const root = referencePath(CHARTS);
  const dirs = readdirSync(root).filter((d) => !d.startsWith('_') && statSync(join(root, d)).isDirectory()).sort();

  test.each(dirs)('%s', (dir) => {
    const render = () => renderChart(join(root, dir), { releaseName: 'r', namespace: 'default', kubeVersion: '1.30' });
    const refused = HELM_REFUSES[dir];
    if (refused) {
      expect(render).toThrow(ChartInputError);
      expect(() => render()).toThrow(refused.error);
      return;
    }
    const result = render();
    expect(result.manifests.length).toBeGreaterThan(0);
    // A document without a kind is one helm prints too: nothing but comments.
    const kindless = result.manifests.filter((m) => m.kind === undefined && !/^(#.*(\n|$))+$/.test(m.content));
    expect(kindless.map((m) => m.source)).toEqual([]);
    expect(result.output.startsWith('---\n# Source: ')).toBe(true);
  });
});
