// A typo in the field that selects a defaults layer (cloud, environment) must produce one line
// about the typo, not a screenful about the fields that layer would have filled.
import { resolveCluster } from '../../spec/load.js';

const base = {
  cloud: 'yandex',
  environment: 'prod',
  domain: 'prod.company.ru',
  secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] },
};
const problemsOf = (overlay: unknown) => resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay }).problems;

test('an unknown cloud is the only problem reported, not the fields its defaults would fill', () => {
  expect(problemsOf({ ...base, cloud: 'aws' })).toEqual([
    'overlays/c1.ts: cloud: received "aws"; expected one of "yandex", "sber", "vk", "onprem"',
  ]);
});

test('an unknown environment is the only problem reported', () => {
  expect(problemsOf({ ...base, environment: 'production' })).toEqual([
    'overlays/c1.ts: environment: received "production"; expected one of "dev", "stage", "prod"',
  ]);
});

test('problems in fields the overlay itself sets are still reported beside the root cause', () => {
  expect(problemsOf({ ...base, cloud: 'aws', ingress: { kind: 'nginx' } })).toEqual([
    'overlays/c1.ts: cloud: received "aws"; expected one of "yandex", "sber", "vk", "onprem"',
    'overlays/c1.ts: ingress.kind: received "nginx"; expected one of "istio", "traefik"',
  ]);
});

test('a missing required field is still reported when the layers did apply', () => {
  const { domain: _d, ...noDomain } = base;
  expect(problemsOf(noDomain)).toEqual(['overlays/c1.ts: domain: missing; expected string']);
});
