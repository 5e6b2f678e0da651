/**
 * What every on-prem overlay must name because no cloud provides it (spec/load-balancer.ts,
 * spec/observability.ts): a load-balancer provider and the data centre's object store. Spread
 * into the on-prem overlays of tests that are about something else.
 */
export const ONPREM_SITE = {
  loadBalancer: { provider: 'kube-vip' },
  objectStorage: { endpoint: 'https://s3.corp.company.ru', region: 'msk-dc1' },
} as const;
