import type { ApplicationSpecIgnoreDifferences } from '../imports/argoproj.io.js';

/**
 * The fields of an admission webhook configuration its own controller rewrites once it runs:
 * the chart renders `failurePolicy: Ignore` (so the first install is not blocked by a webhook that
 * is not up yet) and the controller (istiod's webhook controller, kube-prometheus-stack's certgen
 * patch Job) sets it to `Fail` and fills in `caBundle`. Without this, Argo CD shows the
 * Application OutOfSync forever, and a self-healing sync puts `Ignore` back.
 */
export function runtimePatchedWebhook(
  kind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration',
  name: string,
): ApplicationSpecIgnoreDifferences {
  return {
    group: 'admissionregistration.k8s.io',
    kind,
    name,
    jqPathExpressions: ['.webhooks[]?.failurePolicy', '.webhooks[]?.clientConfig.caBundle'],
  };
}
