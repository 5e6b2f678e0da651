import { checkWebhooks, serviceHasEndpoints, type WebhookContext } from '../../../simulate/admission/webhooks.js';
import type { SimObject } from '../../../simulate/model.js';

/** A webhook configured as cert-manager's chart configures its own. */
function certManagerWebhook(overrides: Record<string, any> = {}) {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'cert-manager-webhook' },
    webhooks: [{
      name: 'webhook.cert-manager.io',
      namespaceSelector: { matchExpressions: [{ key: 'cert-manager.io/disable-validation', operator: 'NotIn', values: ['true'] }] },
      rules: [{ apiGroups: ['cert-manager.io', 'acme.cert-manager.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['*/*'] }],
      admissionReviewVersions: ['v1'], sideEffects: 'None', failurePolicy: 'Fail',
      clientConfig: { service: { name: 'cert-manager-webhook', namespace: 'cert-manager', path: '/validate' } },
      ...overrides,
    }],
  };
}

const issuer: SimObject = {
  cluster: 'c1', file: 'clusters/c1/cert-manager/clusterissuer-selfsigned.yaml',
  object: { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'selfsigned' }, spec: { selfSigned: {} } },
};

const ctx = (configs: Record<string, any>[], running: boolean): WebhookContext => ({
  namespaces: new Map(), webhookConfigurations: configs, serviceAvailable: () => running,
});

describe('admission webhooks without a running service', () => {
  test('a fail-closed webhook whose service has no endpoints refuses what it intercepts', () => {
    expect(checkWebhooks(issuer, ctx([certManagerWebhook()], false))).toEqual([expect.objectContaining({
      object: 'ClusterIssuer/selfsigned', step: 'admission',
      message: 'ValidatingWebhookConfiguration cert-manager-webhook: failed calling webhook "webhook.cert-manager.io": no endpoints available for service "cert-manager/cert-manager-webhook" (failurePolicy Fail)',
    })]);
  });

  test('once the service runs, the object is let through', () => {
    expect(checkWebhooks(issuer, ctx([certManagerWebhook()], true))).toEqual([]);
  });

  test('a fail-open webhook lets it through', () => {
    expect(checkWebhooks(issuer, ctx([certManagerWebhook({ failurePolicy: 'Ignore' })], false))).toEqual([]);
  });

  test('objects outside the rules are not intercepted', () => {
    const cm: SimObject = { ...issuer, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'apps' } } };
    expect(checkWebhooks(cm, ctx([certManagerWebhook()], false))).toEqual([]);
  });

  test('a Namespaced-scope rule does not intercept a cluster-scoped object', () => {
    const namespaced = certManagerWebhook();
    namespaced.webhooks[0]!.rules[0] = { ...namespaced.webhooks[0]!.rules[0]!, scope: 'Namespaced' } as any;
    expect(checkWebhooks(issuer, ctx([namespaced], false))).toEqual([]);
  });

  test('a false matchCondition skips the webhook', () => {
    const conditioned = certManagerWebhook({ matchConditions: [{ name: 'not-selfsigned', expression: '!has(object.spec.selfSigned)' }] });
    expect(checkWebhooks(issuer, ctx([conditioned], false))).toEqual([]);
  });

  test('webhook configurations themselves are never intercepted', () => {
    const self: SimObject = { ...issuer, object: certManagerWebhook({ rules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*'] }] }) };
    expect(checkWebhooks(self, ctx([self.object], false))).toEqual([]);
  });
});

describe('serviceHasEndpoints', () => {
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cert-manager-webhook', namespace: 'cert-manager' }, spec: { selector: { app: 'webhook' } } };
  const deployment = (labels: Record<string, string>, namespace = 'cert-manager') => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'w', image: 'x' }] } } },
  });

  test('a workload in its namespace whose pods carry its selector backs it', () => {
    expect(serviceHasEndpoints(service, [deployment({ app: 'webhook', tier: 'x' })])).toBe(true);
  });

  test('pods with other labels, or in another namespace, do not', () => {
    expect(serviceHasEndpoints(service, [deployment({ app: 'controller' }), deployment({ app: 'webhook' }, 'other')])).toBe(false);
  });
});
