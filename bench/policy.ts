// Cost of the supply-chain policy: rendering Kyverno and its policies for the example fleet, and
// the throughput of the image-coverage fleet rule on a large tree. Printed, never asserted.
import { performance } from 'node:perf_hooks';
import { App, Chart } from 'cdk8s';
import { kyvernoComponent } from '../charts/kyverno.js';
import { renderCluster } from '../charts/cluster.js';
import type { Manifest } from '../primitives/manifests.js';
import { loadFleet } from '../spec/load.js';
import { checkFleetRules } from '../validate/fleet-rules.js';
import { imageCoverage } from '../validate/image-rules.js';

interface Row { name: string; value: number; unit: string; note?: string }

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchPolicy(overlaysDir = 'overlays'): Promise<Row[]> {
  const specs = await loadFleet(overlaysDir);
  const rows: Row[] = [];

  // The policy chart alone, per cluster (cdk8s construct tree → JSON).
  const policyTimes: number[] = [];
  for (let run = 0; run < 20; run++) {
    const t0 = performance.now();
    for (const spec of specs) {
      const chart = new Chart(new App({ outdir: '/nonexistent' }), 'kyverno', { namespace: 'kyverno' });
      kyvernoComponent(spec).addObjects!(chart, spec, undefined, { dashboards: [] });
      chart.toJson();
    }
    policyTimes.push((performance.now() - t0) / specs.length);
  }
  rows.push({ name: 'policy: render the three policies of one cluster', value: median(policyTimes), unit: 'ms', note: `median of 20 runs over ${specs.length} example clusters` });

  // The coverage rule on a large cluster: the example yc-prod tree plus many team Deployments.
  const base = renderCluster(specs.find((s) => s.environment === 'prod') ?? specs[0]).manifests;
  const cluster = base[0].cluster!;
  const DEPLOYMENTS = 5000;
  // By digest: the prod example requires digests for the company's images.
  const DIGEST = `sha256:${'0'.repeat(64)}`;
  const big: Manifest[] = [...base];
  for (let i = 0; i < DEPLOYMENTS; i++) {
    big.push({
      cluster, file: `clusters/${cluster}/apps/deployment-app-${i}.yaml`, index: 0,
      object: {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `app-${i}`, namespace: 'payments' },
        spec: { template: { spec: {
          initContainers: [{ name: 'migrate', image: `ghcr.io/soft-yt/migrate-${i % 40}:1.${i % 10}.0@${DIGEST}` }],
          containers: [{ name: 'app', image: `ghcr.io/soft-yt/app-${i}:2.${i % 7}.1@${DIGEST}` }, { name: 'proxy', image: `ghcr.io/soft-yt/edge-proxy:3.1.0@${DIGEST}` }],
        } } },
      },
    });
  }
  const files = big.map((m) => m.file);
  const times: number[] = [];
  let findings = 0;
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    findings = checkFleetRules(big, files, { imageCoverage }).length;
    times.push(performance.now() - t0);
  }
  const images = DEPLOYMENTS * 3;
  const ms = median(times);
  rows.push({ name: 'policy: image-coverage rule on one cluster', value: ms, unit: 'ms', note: `${images} image references in ${big.length} objects, median of 5; ${findings} findings` });
  rows.push({ name: 'policy: image-coverage throughput', value: Math.round(images / (ms / 1000)), unit: 'images/s' });
  return rows;
}
