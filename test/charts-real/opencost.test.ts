// OpenCost's `clusterName` is the cluster's DNS domain (cluster.local): the chart builds the
// in-cluster Prometheus URL from it (templates/_helpers.tpl, opencost.prometheusServerEndpoint:
// <service>.<namespace>.svc.<clusterName>). The cluster's identity is `opencost.exporter.
// defaultClusterId` (the CLUSTER_ID variable of the exporter). Asserted on the rendered Deployment.
import { MONITORING_NAMESPACE, PROMETHEUS_SERVICE } from '../../charts/monitoring.js';
import { OPENCOST_NAMESPACE } from '../../charts/opencost.js';
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { ofKind, useRealCharts } from './real-charts.js';

describeWithReferenceData('OpenCost (the pinned chart, rendered)', 'helm/charts', () => {
  const charts = useRealCharts(['opencost']);
  const spec = specFor({ cloud: 'yandex', environment: 'prod' }, 'yc-cost');

  const exporterEnv = () => {
    const [deployment] = ofKind(charts().render(spec, 'opencost'), 'Deployment');
    const exporter = deployment.spec.template.spec.containers.find((c: any) => c.name === 'opencost');
    return Object.fromEntries(exporter.env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
  };

  test('reads the stack\'s Prometheus through its cluster-local DNS name', () => {
    expect(exporterEnv().PROMETHEUS_SERVER_ENDPOINT).toBe(`http://${PROMETHEUS_SERVICE}.${MONITORING_NAMESPACE}.svc.cluster.local:9090`);
  });

  test('labels its data with the cluster\'s name (CLUSTER_ID), not through clusterName', () => {
    expect(exporterEnv().CLUSTER_ID).toBe('yc-cost');
    expect(charts().source(spec, 'opencost')).toMatchObject({ namespace: OPENCOST_NAMESPACE });
    expect(charts().source(spec, 'opencost').values).not.toHaveProperty('clusterName');
  });
});
