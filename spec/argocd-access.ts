// How Argo CD reaches Git and how people reach Argo CD: the pieces of the spec that must agree
// with each other (the repository URLs, the credential's URL prefix, the pinned host keys, the
// route that serves the UI), computed and checked in one place.
import type { ClusterSpec, HostRoute } from './schema.js';

/** Service of the Argo CD UI and API (the argo-cd chart's `argocd-server`). */
export const ARGOCD_SERVER_SERVICE = 'argocd-server';

/**
 * The URL prefix Argo CD's credential template applies to: every repository under it uses the
 * credential. Ends with `/`, so that a look-alike host (git.company.ru.example.org) never gets it.
 */
export function gitCredentialURL(spec: Pick<ClusterSpec, 'gitops'>): string {
  const { host, credential } = spec.gitops.git;
  return credential === 'ssh' ? `ssh://git@${host}/` : `https://${host}/`;
}

/**
 * A repository URL as Argo CD compares it with a credential's prefix (util/git NormalizeGitURL):
 * lower case, `git@host:path` as `ssh://git@host/path`, without `.git`.
 */
export function normalizeGitURL(url: string): string {
  let u = url.trim().toLowerCase();
  if (/^[^/:@]+@[^:/]+:/.test(u)) u = `ssh://${u.replace(':', '/')}`;
  return u.replace(/\.git$/, '');
}

/** The host and port an SSH repository URL connects to, or undefined for other URLs. */
export function sshEndpoint(url: string): { host: string; port: number } | undefined {
  const n = normalizeGitURL(url);
  const m = /^ssh:\/\/(?:[^@/]+@)?([^/:]+)(?::(\d+))?\//.exec(n);
  return m ? { host: m[1], port: m[2] ? Number(m[2]) : 22 } : undefined;
}

/** Whether a known_hosts line names the endpoint (`host`, `host,alias`, or `[host]:port`). */
export function knownHostCovers(line: string, endpoint: { host: string; port: number }): boolean {
  const names = line.split(' ')[0].toLowerCase().split(',');
  const want = endpoint.port === 22 ? endpoint.host : `[${endpoint.host}]:${endpoint.port}`;
  return names.includes(want) || (endpoint.port === 22 && names.includes(`[${endpoint.host}]:22`));
}

/** The route that serves the Argo CD UI: the host whose Service is argocd-server in Argo CD's namespace. */
export function argoCdRoute(spec: Pick<ClusterSpec, 'ingress' | 'argocd'>): HostRoute | undefined {
  return spec.ingress.hosts.find((h) => h.service === ARGOCD_SERVER_SERVICE && h.namespace === spec.argocd.namespace);
}

/** Cross-field rules of Git access and SSO; each problem names the field to change. */
export function checkArgoCdAccess(spec: ClusterSpec, add: (path: string, message: string) => void): void {
  const git = spec.gitops.git;
  const prefix = gitCredentialURL(spec);
  if (!normalizeGitURL(spec.gitops.repoURL).startsWith(normalizeGitURL(prefix))) {
    add('gitops.repoURL', `received "${spec.gitops.repoURL}"; Argo CD's credential (gitops.git: ${git.credential} on ${git.host}) covers only repositories under ${prefix}: set gitops.git.host and gitops.git.credential to match, or move the repository`);
  }
  const sshRepos: [string, string][] = [['gitops.repoURL', spec.gitops.repoURL]];
  spec.teams.forEach((t, i) => t.repos.forEach((r, j) => sshRepos.push([`teams[${i}].repos[${j}]`, r])));
  for (const [path, url] of sshRepos) {
    const endpoint = sshEndpoint(url);
    if (!endpoint || git.knownHosts.some((l) => knownHostCovers(l, endpoint))) continue;
    const name = endpoint.port === 22 ? endpoint.host : `[${endpoint.host}]:${endpoint.port}`;
    add(path, `received "${url}", whose host ${name} has no line in gitops.git.knownHosts; Argo CD refuses an unknown host key: add the output of \`ssh-keyscan${endpoint.port === 22 ? '' : ` -p ${endpoint.port}`} ${endpoint.host}\`, checked against the server's published fingerprint`);
  }

  const route = argoCdRoute(spec);
  const index = route ? spec.ingress.hosts.indexOf(route) : -1;
  if (route && !route.tls) {
    add(`ingress.hosts[${index}].tls`, `received false for the Argo CD route "${route.name}"; Argo CD's UI and API carry session tokens and are served only over TLS (set tls: true)`);
  }
  if (spec.argocd.sso && !route) {
    add('argocd.sso', `set, but no ingress.hosts entry routes to Service ${ARGOCD_SERVER_SERVICE} in namespace ${spec.argocd.namespace}; the OIDC provider redirects to https://<that host>/auth/callback`);
  }
}
