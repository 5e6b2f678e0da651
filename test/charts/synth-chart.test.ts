import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CHECKED_CDK8S, fastPathApplies, synthChart } from '../../charts/synth-chart.js';

// Any cdk8s construct added to a component's chart must render through synthChart as cdk8s itself
// renders it. Each test builds the same chart twice, the way renderCluster does (an App per
// cluster, a Chart per component with its namespace): one synthesized by synthChart, the other by
// cdk8s's own chart.toJson().
type Build = (chart: Chart) => void;
const newChart = () => new Chart(new App({ outdir: '/nonexistent' }), 'component', { namespace: 'team-a' });
const both = (build: Build) => {
  const ours = newChart();
  build(ours);
  const theirs = newChart();
  build(theirs);
  return { ours: synthChart(ours), cdk8s: theirs.toJson() };
};

/** A user's own construct: plain ApiObjects, a token that resolves itself, a number-or-string union. */
class Greeter extends Construct {
  public audience = 'nobody';
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new ApiObject(this, 'config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'greeter', labels: { 'app.kubernetes.io/name': 'greeter' } },
      data: { zeta: 'last', alpha: { resolve: () => 'resolved' }, dropped: undefined, nothing: null },
    });
    new kplus.k8s.KubeService(this, 'service', {
      metadata: { name: 'greeter' },
      spec: { ports: [{ port: 80, targetPort: kplus.k8s.IntOrString.fromNumber(8080) }], selector: { app: 'greeter' } },
    });
  }
}

describe('synthChart', () => {
  test('a Lazy value renders as what it produces when the chart is synthesized', () => {
    const { ours, cdk8s } = both((chart) => {
      const greeter = new Greeter(chart, 'greeter');
      new ApiObject(chart, 'audience', {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'audience' },
        data: { audience: Lazy.any({ produce: () => greeter.audience }) },
      });
      greeter.audience = 'world';
    });
    expect(ours.find((o) => o.metadata.name === 'audience').data).toEqual({ audience: 'world' });
    expect(ours).toEqual(cdk8s);
  });

  test('a cdk8s-plus Deployment renders as cdk8s renders it', () => {
    const { ours, cdk8s } = both((chart) => {
      new kplus.Deployment(chart, 'web', {
        metadata: { name: 'web' },
        replicas: 2,
        containers: [{ image: 'registry.company.ru/web:1.2.3', portNumber: 8080, resources: {} }],
      });
    });
    expect(ours.map((o) => o.kind)).toEqual(['Deployment']);
    expect(ours[0].spec.template.spec.containers[0].image).toBe('registry.company.ru/web:1.2.3');
    expect(JSON.stringify(ours)).toBe(JSON.stringify(cdk8s));
  });

  test("a user's construct renders with its tokens resolved, empty values dropped and keys sorted, as cdk8s renders it", () => {
    const { ours, cdk8s } = both((chart) => { new Greeter(chart, 'greeter'); });
    expect(ours[0].data).toEqual({ alpha: 'resolved', zeta: 'last' });
    expect(Object.keys(ours[0].data)).toEqual(['alpha', 'zeta']);
    expect(ours[1].spec.ports[0].targetPort).toBe(8080);
    expect(ours[0].metadata.namespace).toBe('team-a');
    // Key order too: the YAML written is the order of the keys.
    expect(JSON.stringify(ours)).toBe(JSON.stringify(cdk8s));
  });

  test('a JSON patch added to an object is applied to what it renders', () => {
    const { ours, cdk8s } = both((chart) => {
      new ApiObject(chart, 'patched', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'patched' }, data: { a: '1' } })
        .addJsonPatch(JsonPatch.add('/data/b', '2'));
    });
    expect(ours[0].data).toEqual({ a: '1', b: '2' });
    expect(JSON.stringify(ours)).toBe(JSON.stringify(cdk8s));
  });

  test('objects that depend on each other come out in the order cdk8s gives them', () => {
    const { ours, cdk8s } = both((chart) => {
      const later = new ApiObject(chart, 'later', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' } });
      const first = new ApiObject(chart, 'first', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first' } });
      later.addDependency(first);
    });
    expect(ours.map((o) => o.metadata.name)).toEqual(['first', 'later']);
    expect(ours).toEqual(cdk8s);
  });

  test("a value cdk8s cannot render fails with cdk8s's message, naming the construct", () => {
    const chart = newChart();
    new ApiObject(chart, 'dated', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dated' }, data: { when: new Date(0) } });
    expect(() => synthChart(chart)).toThrow("Failed serializing construct at path 'component/dated' with name 'dated': Error: can't render non-simple object of type 'Date'");
  });

  test('a construct whose validation fails fails the chart, naming its path', () => {
    const chart = newChart();
    const greeter = new Greeter(chart, 'greeter');
    greeter.node.addValidation({ validate: () => ['needs an audience'] });
    expect(() => synthChart(chart)).toThrow('Validation failed with the following errors:\n  [component/greeter] needs an audience');
  });

  test('the installed cdk8s is the version the fast path mirrors (else compare its api-object.js and metadata.js with synth-chart.ts)', () => {
    expect(fastPathApplies(new App())).toBe(true);
    expect(CHECKED_CDK8S).toBe('2.70.');
  });

  test('a label whose value is a Lazy renders what it produces, and empty metadata lists and maps are left out', () => {
    const { ours, cdk8s } = both((chart) => {
      const o = new ApiObject(chart, 'labelled', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'labelled', annotations: {}, finalizers: [] } });
      o.metadata.addLabel('tier', Lazy.any({ produce: () => 'web' }) as unknown as string);
    });
    expect(ours[0].metadata).toEqual({ labels: { tier: 'web' }, name: 'labelled', namespace: 'team-a' });
    expect(JSON.stringify(ours)).toBe(JSON.stringify(cdk8s));
  });

  test('leaves ApiObject serialization as cdk8s has it, after a chart and after a failure', () => {
    const own = ApiObject.prototype.toJson;
    synthChart(newChart());
    const failing = newChart();
    new ApiObject(failing, 'boom', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: Lazy.any({ produce: () => { throw new Error('boom'); } }) } });
    expect(() => synthChart(failing)).toThrow('boom');
    expect(ApiObject.prototype.toJson).toBe(own);
  });
});
