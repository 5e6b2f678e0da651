// The pinned charts through the value pipeline Helm runs before rendering: dependency
// processing, coalescing, and each enabled chart's values.schema.json against its defaults
// (which Helm accepts, so any schema error here is ours), then a value the schema refuses.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadChart } from '../../../helm/chart/load.js';
import { processDependencies } from '../../../helm/chartutil/dependencies.js';
import { parseSet } from '../../../helm/chartutil/strvals.js';
import { toRenderValues } from '../../../helm/chartutil/values.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';

describeWithReferenceData('pinned charts: values pipeline', 'helm/charts', () => {
  const root = referencePath('helm/charts');
  const dirs = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .map((d) => d.name)
    .sort();

  function renderValues(dir: string, sets: string[] = []): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const s of sets) parseSet(s, values);
    const chart = processDependencies(loadChart(join(root, dir)), values);
    return toRenderValues(chart, values, { name: 'release', namespace: 'default', isInstall: true });
  }

  test.each(dirs)('%s: default values coalesce and satisfy the schemas', (dir) => {
    expect(renderValues(dir).Values).toBeInstanceOf(Object);
  });

  function argo(sets: string[] = []) {
    const values: Record<string, unknown> = {};
    for (const s of sets) parseSet(s, values);
    return processDependencies(loadChart(join(root, 'argo-cd-10.1.1')), values);
  }

  test('argo-cd: the redis-ha subchart is removed by its condition', () => {
    expect(argo().dependencies().map((d) => d.name())).toEqual([]);
    expect(argo(['redis-ha.enabled=true']).dependencies().map((d) => d.name())).toEqual(['redis-ha']);
  });

  test('argo-cd: an enabled redis-ha gets its own defaults and the parent\'s globals under its name', () => {
    const values = renderValues('argo-cd-10.1.1', ['redis-ha.enabled=true']).Values as Record<string, Record<string, unknown>>;
    const redis = values['redis-ha']!;
    expect(redis.replicas).toBe(3);
    expect(redis.global).toMatchObject(values.global!);
    expect(redis.global).toHaveProperty('compatibility');
  });

  test('traefik: a value of the wrong type is refused with the schema error', () => {
    expect(() => renderValues('traefik-41.3.0', ['ports.web.port=abc'])).toThrow(
      "values don't meet the specifications of the schema(s) in the following chart(s):\ntraefik:\n- at '/ports/web/port': got string, want integer\n",
    );
  });

  test('opentelemetry-collector: an unknown mode lists the allowed ones', () => {
    expect(() => renderValues('opentelemetry-collector-0.170.0', ['mode=foo'])).toThrow(
      "- at '/mode': value must be one of 'daemonset', 'deployment', 'statefulset', ''",
    );
  });
});
