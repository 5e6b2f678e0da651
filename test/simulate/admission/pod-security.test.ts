import { checkPodSecurity, enforcedPolicy } from '../../../simulate/admission/pod-security.js';
import type { SimObject } from '../../../simulate/model.js';

const namespace = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels } });
const RESTRICTED = namespace({ 'pod-security.kubernetes.io/enforce': 'restricted' });
const BASELINE = namespace({ 'pod-security.kubernetes.io/enforce': 'baseline' });

const sim = (object: Record<string, any>): SimObject => ({ cluster: 'c1', file: 'clusters/c1/apps/web.yaml', object });

/** A container that passes `restricted`. */
const hardened = (name: string) => ({
  name, image: 'cr.company.ru/web:1',
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
});

const pod = (spec: Record<string, any>) => sim({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'apps' }, spec });
const deployment = (spec: Record<string, any>) => sim({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'apps' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec } },
});

describe('Pod Security Admission', () => {
  test('restricted names every failed check as PSA does, in its order', () => {
    const [f] = checkPodSecurity(pod({ containers: [{ name: 'app', image: 'x' }] }), RESTRICTED);
    expect(f).toMatchObject({ path: '.spec', object: 'Pod/apps/web', step: 'admission' });
    expect(f!.message).toBe('the pod is forbidden in namespace apps: violates PodSecurity "restricted:latest": '
      + 'allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), '
      + 'unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), '
      + 'runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), '
      + 'seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")');
  });

  test('a hardened pod passes restricted', () => {
    expect(checkPodSecurity(pod({ containers: [hardened('app')], initContainers: [hardened('init')] }), RESTRICTED)).toEqual([]);
  });

  test('pod-level runAsNonRoot and seccompProfile cover every container', () => {
    const c = { ...hardened('app'), securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } };
    const spec = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [c] };
    expect(checkPodSecurity(pod(spec), RESTRICTED)).toEqual([]);
  });

  test('a Deployment whose pods restricted refuses is reported at its template', () => {
    const root = { ...hardened('app'), securityContext: { ...hardened('app').securityContext, runAsUser: 0 } };
    const [f] = checkPodSecurity(deployment({ containers: [root] }), RESTRICTED);
    expect(f).toMatchObject({ path: '.spec.template.spec', object: 'Deployment/apps/web' });
    expect(f!.message).toBe('its pods would be forbidden in namespace apps: violates PodSecurity "restricted:latest": runAsUser=0 (container "app" must not set runAsUser=0)');
  });

  test("a CronJob's pods are checked through its job template", () => {
    const cron = sim({
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'apps' },
      spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'x', securityContext: { privileged: true } }] } } } } },
    });
    const [f] = checkPodSecurity(cron, BASELINE);
    expect(f).toMatchObject({ path: '.spec.jobTemplate.spec.template.spec' });
    expect(f!.message).toMatch(/"baseline:latest": privileged \(container "b" must not set securityContext\.privileged=true\)$/);
  });

  test('baseline refuses host namespaces, hostPath volumes and host ports, and not a missing seccomp profile', () => {
    const spec = {
      hostNetwork: true, volumes: [{ name: 'root', hostPath: { path: '/' } }],
      containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 80, hostPort: 80 }] }],
    };
    const [f] = checkPodSecurity(pod(spec), BASELINE);
    expect(f!.message).toMatch(/: host namespaces \(hostNetwork=true\), hostPath volumes \(volume "root"\), hostPort \(container "app" uses hostPort 80\)$/);
  });

  test('restricted reports a hostPath volume as a restricted volume type (it overrides the baseline check)', () => {
    const [f] = checkPodSecurity(pod({ volumes: [{ name: 'root', hostPath: { path: '/' } }], containers: [hardened('app')] }), RESTRICTED);
    expect(f!.message).toMatch(/: restricted volume types \(volume "root" uses restricted volume type "hostPath"\)$/);
  });

  test('a volume without a source is the emptyDir the API server defaults it to, allowed by restricted', () => {
    expect(checkPodSecurity(pod({ volumes: [{ name: 'scratch' }], containers: [hardened('app')] }), RESTRICTED)).toEqual([]);
  });

  test('an unlabelled namespace is privileged: nothing is refused', () => {
    const privileged = pod({ containers: [{ name: 'app', image: 'x', securityContext: { privileged: true } }] });
    expect(checkPodSecurity(privileged, namespace({}))).toEqual([]);
    expect(checkPodSecurity(privileged, undefined)).toEqual([]);
  });

  test("a pinned version runs that version's checks: probe hosts are checked from 1.34 on", () => {
    const spec = { containers: [{ name: 'app', image: 'x', livenessProbe: { httpGet: { host: '10.0.0.1', port: 80 } } }] };
    const pinned = (v: string) => namespace({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': v });
    expect(checkPodSecurity(pod(spec), pinned('v1.33'))).toEqual([]);
    expect(checkPodSecurity(pod(spec), pinned('v1.34'))[0]!.message).toMatch(/"baseline:v1\.34": probe or lifecycle host \(container "app" uses probe or lifecycle host "10\.0\.0\.1"\)$/);
  });

  test('an unparseable level is enforced as restricted, as PSA fails closed', () => {
    expect(enforcedPolicy(namespace({ 'pod-security.kubernetes.io/enforce': 'strict' })).level).toBe('restricted');
  });

  test('objects without pods are not checked', () => {
    expect(checkPodSecurity(sim({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'apps' } }), RESTRICTED)).toEqual([]);
  });
});
