// The Pod Security Standards checks, as k8s.io/pod-security-admission/policy implements them
// (check_*.go at the July 2026 head, newest check version 1.37): the same IDs, levels, versions,
// overrides and wording, so that a finding reads as the API server's own refusal would.
// Pods are the JSON of the API (camelCase); absent fields are Go's nil/zero values.

export type Level = 'privileged' | 'baseline' | 'restricted';

export interface CheckResult {
  readonly reason: string;
  readonly detail: string;
}

type Meta = Record<string, any>;
type Spec = Record<string, any>;
type CheckPod = (meta: Meta, spec: Spec) => CheckResult | undefined;

export interface Check {
  readonly id: string;
  readonly level: 'baseline' | 'restricted';
  /** Implementations from a minor version of Kubernetes on (1.x), ascending. */
  readonly versions: readonly { readonly min: number; readonly check: CheckPod; readonly overrides?: readonly string[] }[];
}

/** The newest minor version any check changes at: what `latest` means. */
export const LATEST_MINOR = 37;

const joinQuote = (items: readonly string[]) => (items.length ? `"${items.join('", "')}"` : '');
const pluralize = (singular: string, plural: string, n: number) => (n === 1 ? singular : plural);
const sorted = (s: Set<string>) => [...s].sort();
const containersPhrase = (names: readonly string[]) => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;

/** Init containers, containers, then ephemeral containers, as visitContainers walks them. */
function containers(spec: Spec): Record<string, any>[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

const isWindows = (spec: Spec) => spec.os?.name === 'windows';
/** relaxPolicyForUserNamespacePod: hostUsers: false runs the pod in a user namespace. */
const inUserNamespace = (spec: Spec) => spec.hostUsers === false;
const unless = (skip: (spec: Spec) => boolean, check: CheckPod): CheckPod => (meta, spec) => (skip(spec) ? undefined : check(meta, spec));

const allowPrivilegeEscalation: CheckPod = (_, spec) => {
  const bad = containers(spec).filter((c) => c.securityContext?.allowPrivilegeEscalation !== false).map((c) => c.name);
  return bad.length ? { reason: 'allowPrivilegeEscalation != false', detail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false` } : undefined;
};

const APPARMOR_TYPES = new Set(['RuntimeDefault', 'Localhost']);
const appArmorProfile: CheckPod = (meta, spec) => {
  const setters: string[] = [];
  const values = new Set<string>();
  const pod = spec.securityContext?.appArmorProfile;
  if (pod && !APPARMOR_TYPES.has(pod.type)) {
    setters.push('pod');
    values.add(String(pod.type ?? ''));
  }
  const bad = containers(spec).filter((c) => {
    const p = c.securityContext?.appArmorProfile;
    if (!p || APPARMOR_TYPES.has(p.type)) return false;
    values.add(String(p.type ?? ''));
    return true;
  }).map((c) => c.name);
  if (bad.length) setters.push(containersPhrase(bad));
  const list = sorted(values);
  const annotations = Object.entries((meta.annotations ?? {}) as Record<string, string>)
    .filter(([k, v]) => k.startsWith('container.apparmor.security.beta.kubernetes.io/') && !(v === '' || v === 'runtime/default' || v.startsWith('localhost/')))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .sort();
  if (annotations.length) {
    list.push(...annotations);
    setters.push(pluralize('annotation', 'annotations', annotations.length));
  }
  return setters.length
    ? { reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', list.length), detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(list)}` }
    : undefined;
};

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const capabilitiesBaseline: CheckPod = (_, spec) => {
  const forbidden = new Set<string>();
  const bad = containers(spec).filter((c) => {
    const added: string[] = c.securityContext?.capabilities?.add ?? [];
    const extra = added.filter((a) => !BASELINE_CAPABILITIES.has(a));
    extra.forEach((a) => forbidden.add(a));
    return extra.length > 0;
  }).map((c) => c.name);
  return bad.length ? { reason: 'non-default capabilities', detail: `${containersPhrase(bad)} must not include ${joinQuote(sorted(forbidden))} in securityContext.capabilities.add` } : undefined;
};

const capabilitiesRestricted: CheckPod = (_, spec) => {
  const missingDropAll: string[] = [];
  const adding: string[] = [];
  const forbidden = new Set<string>();
  for (const c of containers(spec)) {
    const caps = c.securityContext?.capabilities;
    if (!caps) {
      missingDropAll.push(c.name);
      continue;
    }
    if (!(caps.drop ?? []).includes('ALL')) missingDropAll.push(c.name);
    const extra = ((caps.add ?? []) as string[]).filter((a) => a !== 'NET_BIND_SERVICE');
    extra.forEach((a) => forbidden.add(a));
    if (extra.length) adding.push(c.name);
  }
  const details: string[] = [];
  if (missingDropAll.length) details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (adding.length) details.push(`${containersPhrase(adding)} must not include ${joinQuote(sorted(forbidden))} in securityContext.capabilities.add`);
  return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
};

const hostNamespaces: CheckPod = (_, spec) => {
  const host = [spec.hostNetwork && 'hostNetwork=true', spec.hostPID && 'hostPID=true', spec.hostIPC && 'hostIPC=true'].filter(Boolean);
  return host.length ? { reason: 'host namespaces', detail: host.join(', ') } : undefined;
};

const hostPathVolumes: CheckPod = (_, spec) => {
  const bad = ((spec.volumes ?? []) as Record<string, any>[]).filter((v) => v.hostPath).map((v) => v.name);
  return bad.length ? { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}` } : undefined;
};

const hostPorts: CheckPod = (_, spec) => {
  const ports = new Set<string>();
  const bad = containers(spec).filter((c) => {
    const used = ((c.ports ?? []) as Record<string, any>[]).filter((p) => p.hostPort);
    used.forEach((p) => ports.add(String(p.hostPort)));
    return used.length > 0;
  }).map((c) => c.name);
  return bad.length
    ? { reason: 'hostPort', detail: `${containersPhrase(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', ports.size)} ${sorted(ports).join(', ')}` }
    : undefined;
};

const hostProbesAndHostLifecycle: CheckPod = (_, spec) => {
  const bad = new Set<string>();
  const hosts = new Set<string>();
  const hostsOf = (h: Record<string, any> | undefined) => [h?.httpGet?.host, h?.tcpSocket?.host].filter((x): x is string => !!x);
  for (const c of containers(spec)) {
    const found = [c.livenessProbe, c.readinessProbe, c.startupProbe, c.lifecycle?.postStart, c.lifecycle?.preStop].flatMap(hostsOf);
    if (found.length) bad.add(c.name);
    found.forEach((h) => hosts.add(h));
  }
  return bad.size
    ? {
      reason: 'probe or lifecycle host',
      detail: `${pluralize('container', 'containers', bad.size)} ${joinQuote(sorted(bad))} ${pluralize('uses', 'use', bad.size)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', hosts.size)} ${joinQuote(sorted(hosts))}`,
    }
    : undefined;
};

const privileged: CheckPod = (_, spec) => {
  const bad = containers(spec).filter((c) => c.securityContext?.privileged === true).map((c) => c.name);
  return bad.length ? { reason: 'privileged', detail: `${containersPhrase(bad)} must not set securityContext.privileged=true` } : undefined;
};

const procMount: CheckPod = (_, spec) => {
  const types = new Set<string>();
  const bad = containers(spec).filter((c) => {
    const p = c.securityContext?.procMount;
    if (p === undefined || p === null || p === 'Default') return false;
    types.add(p);
    return true;
  }).map((c) => c.name);
  return bad.length ? { reason: 'procMount', detail: `${containersPhrase(bad)} must not set securityContext.procMount to ${joinQuote(sorted(types))}` } : undefined;
};

const RESTRICTED_VOLUME_OK = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
const RESTRICTED_VOLUME_NAMED = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO'];
const restrictedVolumes: CheckPod = (_, spec) => {
  const types = new Set<string>();
  const bad = ((spec.volumes ?? []) as Record<string, any>[]).filter((v) => {
    // A volume with no source is defaulted to emptyDir by the API server before admission.
    if (RESTRICTED_VOLUME_OK.some((k) => v[k]) || Object.keys(v).every((k) => k === 'name')) return false;
    types.add(RESTRICTED_VOLUME_NAMED.find((k) => v[k]) ?? (v.storageos ? 'storageos' : 'unknown'));
    return true;
  }).map((v) => v.name);
  return bad.length
    ? { reason: 'restricted volume types', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', types.size)} ${joinQuote(sorted(types))}` }
    : undefined;
};

const runAsNonRoot: CheckPod = (_, spec) => {
  const setters: string[] = [];
  const pod = spec.securityContext?.runAsNonRoot;
  if (pod === false) setters.push('pod');
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of containers(spec)) {
    const v = c.securityContext?.runAsNonRoot;
    if (v !== undefined && v !== null) {
      if (!v) explicit.push(c.name);
    } else if (pod !== true) {
      implicit.push(c.name);
    }
  }
  if (explicit.length) setters.push(containersPhrase(explicit));
  if (setters.length) return { reason: 'runAsNonRoot != true', detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false` };
  return implicit.length ? { reason: 'runAsNonRoot != true', detail: `pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true` } : undefined;
};

const runAsUser: CheckPod = (_, spec) => {
  const setters: string[] = [];
  if (spec.securityContext?.runAsUser === 0) setters.push('pod');
  const bad = containers(spec).filter((c) => c.securityContext?.runAsUser === 0).map((c) => c.name);
  if (bad.length) setters.push(containersPhrase(bad));
  return setters.length ? { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0` } : undefined;
};

const SELINUX_TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const seLinuxOptions = (allowed: readonly string[]): CheckPod => (_, spec) => {
  const types = new Set<string>();
  let setUser = false;
  let setRole = false;
  const valid = (o: Record<string, any>) => {
    let ok = true;
    if (!allowed.includes(o.type ?? '')) {
      ok = false;
      types.add(o.type ?? '');
    }
    if (o.user) [ok, setUser] = [false, true];
    if (o.role) [ok, setRole] = [false, true];
    return ok;
  };
  const setters: string[] = [];
  if (spec.securityContext?.seLinuxOptions && !valid(spec.securityContext.seLinuxOptions)) setters.push('pod');
  const bad = containers(spec).filter((c) => c.securityContext?.seLinuxOptions && !valid(c.securityContext.seLinuxOptions)).map((c) => c.name);
  if (bad.length) setters.push(containersPhrase(bad));
  if (!setters.length) return undefined;
  const data: string[] = [];
  if (types.size) data.push(`${pluralize('type', 'types', types.size)} ${joinQuote(sorted(types))}`);
  if (setUser) data.push('user may not be set');
  if (setRole) data.push('role may not be set');
  return { reason: 'seLinuxOptions', detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` };
};

const validSeccomp = (t: unknown) => t === 'Localhost' || t === 'RuntimeDefault';
const validSeccompAnnotation = (v: string) => v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
const seccompBaselineAnnotations: CheckPod = (meta, spec) => {
  const annotations: Record<string, string> = meta.annotations ?? {};
  const forbidden = new Set<string>();
  const keys = ['seccomp.security.alpha.kubernetes.io/pod', ...containers(spec).map((c) => `container.seccomp.security.alpha.kubernetes.io/${c.name}`)];
  for (const k of keys) if (k in annotations && !validSeccompAnnotation(annotations[k]!)) forbidden.add(`${k}=${JSON.stringify(annotations[k])}`);
  return forbidden.size ? { reason: 'seccompProfile', detail: `forbidden ${pluralize('annotation', 'annotations', forbidden.size)} ${sorted(forbidden).join(', ')}` } : undefined;
};

/** The seccomp check of both levels: baseline forbids bad types, restricted also requires one. */
const seccompProfile = (required: boolean): CheckPod => (_, spec) => {
  const setters: string[] = [];
  const values = new Set<string>();
  const pod = spec.securityContext?.seccompProfile;
  let podSet = false;
  if (pod) {
    if (!validSeccomp(pod.type)) {
      setters.push('pod');
      values.add(String(pod.type ?? ''));
    } else podSet = true;
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of containers(spec)) {
    const p = c.securityContext?.seccompProfile;
    if (p) {
      if (!validSeccomp(p.type)) {
        explicit.push(c.name);
        values.add(String(p.type ?? ''));
      }
    } else if (!podSet) implicit.push(c.name);
  }
  if (explicit.length) setters.push(containersPhrase(explicit));
  if (setters.length) return { reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sorted(values))}` };
  if (required && implicit.length) {
    return { reason: 'seccompProfile', detail: `pod or ${containersPhrase(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` };
  }
  return undefined;
};

const SYSCTLS_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SYSCTLS_1_29 = [...SYSCTLS_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SYSCTLS_1_37 = [...SYSCTLS_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];
const sysctls = (allowed: readonly string[]): CheckPod => (_, spec) => {
  const bad = ((spec.securityContext?.sysctls ?? []) as Record<string, any>[]).map((s) => s.name).filter((n) => !allowed.includes(n));
  return bad.length ? { reason: 'forbidden sysctls', detail: bad.join(', ') } : undefined;
};

const windowsHostProcess: CheckPod = (_, spec) => {
  const setters: string[] = [];
  if (spec.securityContext?.windowsOptions?.hostProcess === true) setters.push('pod');
  const bad = containers(spec).filter((c) => c.securityContext?.windowsOptions?.hostProcess === true).map((c) => c.name);
  if (bad.length) setters.push(containersPhrase(bad));
  return setters.length ? { reason: 'hostProcess', detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` } : undefined;
};

export const CHECKS: readonly Check[] = [
  { id: 'allowPrivilegeEscalation', level: 'restricted', versions: [{ min: 8, check: allowPrivilegeEscalation }, { min: 25, check: unless(isWindows, allowPrivilegeEscalation) }] },
  { id: 'appArmorProfile', level: 'baseline', versions: [{ min: 0, check: appArmorProfile }] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [{ min: 0, check: capabilitiesBaseline }] },
  {
    id: 'capabilities_restricted', level: 'restricted', versions: [
      { min: 22, check: capabilitiesRestricted, overrides: ['capabilities_baseline'] },
      { min: 25, check: unless(isWindows, capabilitiesRestricted), overrides: ['capabilities_baseline'] },
    ],
  },
  { id: 'hostNamespaces', level: 'baseline', versions: [{ min: 0, check: hostNamespaces }] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ min: 0, check: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ min: 0, check: hostPorts }] },
  { id: 'hostProbesAndHostLifecycle', level: 'baseline', versions: [{ min: 34, check: hostProbesAndHostLifecycle }] },
  { id: 'privileged', level: 'baseline', versions: [{ min: 0, check: privileged }] },
  { id: 'procMount', level: 'baseline', versions: [{ min: 0, check: procMount }, { min: 35, check: unless(inUserNamespace, procMount) }] },
  { id: 'procMount_restricted', level: 'restricted', versions: [{ min: 35, check: procMount, overrides: ['procMount'] }] },
  { id: 'restrictedVolumes', level: 'restricted', versions: [{ min: 0, check: restrictedVolumes, overrides: ['hostPathVolumes'] }] },
  { id: 'runAsNonRoot', level: 'restricted', versions: [{ min: 0, check: runAsNonRoot }, { min: 35, check: unless(inUserNamespace, runAsNonRoot) }] },
  { id: 'runAsUser', level: 'restricted', versions: [{ min: 23, check: runAsUser }, { min: 35, check: unless(inUserNamespace, runAsUser) }] },
  { id: 'seLinuxOptions', level: 'baseline', versions: [{ min: 0, check: seLinuxOptions(SELINUX_TYPES_1_0) }, { min: 31, check: seLinuxOptions([...SELINUX_TYPES_1_0, 'container_engine_t']) }] },
  { id: 'seccompProfile_baseline', level: 'baseline', versions: [{ min: 0, check: seccompBaselineAnnotations }, { min: 19, check: seccompProfile(false) }] },
  {
    id: 'seccompProfile_restricted', level: 'restricted', versions: [
      { min: 19, check: seccompProfile(true), overrides: ['seccompProfile_baseline'] },
      { min: 25, check: unless(isWindows, seccompProfile(true)), overrides: ['seccompProfile_baseline'] },
    ],
  },
  {
    id: 'sysctls', level: 'baseline', versions: [
      { min: 0, check: sysctls(SYSCTLS_1_0) }, { min: 27, check: sysctls(SYSCTLS_1_27) }, { min: 29, check: sysctls(SYSCTLS_1_29) },
      { min: 32, check: sysctls(SYSCTLS_1_32) }, { min: 37, check: sysctls(SYSCTLS_1_37) },
    ],
  },
  { id: 'windowsHostProcess', level: 'baseline', versions: [{ min: 0, check: windowsHostProcess }] },
];

/**
 * The checks a level runs at a minor version, in PSA's order (baseline IDs sorted, then
 * restricted IDs sorted), with the baseline checks a restricted one overrides left out.
 */
export function checksFor(level: Level, minor: number): { id: string; check: CheckPod }[] {
  if (level === 'privileged') return [];
  const active = CHECKS
    .filter((c) => level === 'restricted' || c.level === 'baseline')
    .map((c) => ({ c, v: [...c.versions].reverse().find((v) => v.min <= minor) }))
    .filter((x): x is { c: Check; v: Check['versions'][number] } => x.v !== undefined);
  const overridden = new Set(active.flatMap((x) => x.v.overrides ?? []));
  const byId = (a: { c: Check }, b: { c: Check }) => (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0);
  const ordered = [
    ...active.filter((x) => x.c.level === 'baseline' && !overridden.has(x.c.id)).sort(byId),
    ...active.filter((x) => x.c.level === 'restricted').sort(byId),
  ];
  return ordered.map((x) => ({ id: x.c.id, check: x.v.check }));
}
