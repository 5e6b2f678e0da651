// What an AppProject permits, exactly as Argo CD checks it before a sync
// (argo-cd pkg/apis/application/v1alpha1/app_project_types.go: IsGroupKindNamePermitted,
// IsDestinationPermitted, IsSourcePermitted; types.go isResourceInList/isNamedResourceInList;
// util/git NormalizeGitURL; controller/sync.go validateSyncPermissions).
import { filepathMatch, gobwasMatch } from './glob.js';

type Project = Record<string, any>;
interface GroupKindItem { group?: string; kind?: string; name?: string }

const isDeny = (p: unknown) => typeof p === 'string' && p.startsWith('!');

/** argo-cd's globMatch: `!pattern` negates when allowed, `*` matches everything. */
function globMatch(pattern: string | undefined, value: string, allowNegation: boolean, separators = ''): boolean {
  const p = pattern ?? '';
  if (allowNegation && isDeny(p)) return !gobwasMatch(p.slice(1), value, separators);
  if (p === '*') return true;
  return gobwasMatch(p, value, separators);
}

function inList(group: string, kind: string, list: readonly GroupKindItem[]): boolean {
  return list.some((i) => filepathMatch(i.kind ?? '', kind) && filepathMatch(i.group ?? '', group));
}

function inNamedList(group: string, kind: string, name: string, list: readonly GroupKindItem[]): boolean {
  return list.some((i) => filepathMatch(i.kind ?? '', kind) && filepathMatch(i.group ?? '', group) && (!i.name || filepathMatch(i.name, name)));
}

/** IsGroupKindNamePermitted: an unset namespace whitelist allows every namespaced kind; an unset cluster whitelist none. */
export function isGroupKindPermitted(project: Project, group: string, kind: string, name: string, namespaced: boolean): boolean {
  const spec = project.spec ?? {};
  if (namespaced) {
    const white: GroupKindItem[] | undefined = spec.namespaceResourceWhitelist ?? undefined;
    const black: GroupKindItem[] = spec.namespaceResourceBlacklist ?? [];
    const whitelisted = white === undefined || (white.length !== 0 && inList(group, kind, white));
    return whitelisted && !(black.length !== 0 && inList(group, kind, black));
  }
  const white: GroupKindItem[] = spec.clusterResourceWhitelist ?? [];
  const black: GroupKindItem[] = spec.clusterResourceBlacklist ?? [];
  return white.length !== 0 && inNamedList(group, kind, name, white) && !(black.length !== 0 && inNamedList(group, kind, name, black));
}

/** isDestinationMatched, for a destination cluster known by server URL and name. */
export function isDestinationPermitted(project: Project, cluster: { server: string; name?: string }, namespace: string): boolean {
  let matched = false;
  for (const item of (project.spec?.destinations ?? []) as { server?: string; name?: string; namespace?: string }[]) {
    const nameMatched = !!cluster.name && globMatch(item.name, cluster.name, true);
    const serverMatched = !!cluster.server && globMatch(item.server, cluster.server, true);
    const namespaceMatched = globMatch(item.namespace, namespace, true);
    if ((serverMatched || nameMatched) && namespaceMatched) matched = true;
    // Go's precedence, kept: (!name && deny(name)) || ((!server && deny(server)) && namespaceMatched).
    else if ((!nameMatched && isDeny(item.name)) || (!serverMatched && isDeny(item.server) && namespaceMatched)) return false;
    else if (!namespaceMatched && isDeny(item.namespace) && serverMatched) return false;
  }
  // permitOnlyProjectScopedClusters needs project-scoped cluster Secrets, which the tree does not carry.
  return matched;
}

/** NormalizeGitURL: lower case, SSH scp-style to ssh:// form without the scheme, no `.git`. */
export function normalizeGitUrl(repo: string): string {
  let r = repo.trim().toLowerCase();
  if (/^(ssh:\/\/)?([^/:]*?)@[^@]+$/.test(r) && !r.startsWith('ssh://')) r = `ssh://${r.replace(':', '/')}`;
  r = r.replace(/\.git$/, '');
  return r.replace(/^ssh:\/\//, '');
}

/** IsSourcePermitted: some sourceRepos glob matches, and no `!` pattern excludes it. */
export function isSourcePermitted(project: Project, repoURL: string): boolean {
  const src = normalizeGitUrl(repoURL);
  let any = false;
  for (const raw of (project.spec?.sourceRepos ?? []) as string[]) {
    const normalized = isDeny(raw) ? `!${normalizeGitUrl(raw.slice(1))}` : normalizeGitUrl(raw);
    const matched = globMatch(normalized, src, true, '/');
    if (matched) any = true;
    else if (isDeny(normalized)) return false;
  }
  return any;
}
