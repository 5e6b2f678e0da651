// Replays, offline, what a new cluster goes through: the admin installs Argo CD from the rendered
// values and applies bootstrap/ server-side; Argo CD's cache starts; the root Application syncs
// the child Applications wave by wave, and each child syncs its objects as Argo CD orders them.
// Each step asks the API server model (namespaces, served kinds, schemas, CRD rules, admission)
// and, for Argo CD's syncs, the AppProject and the controller's RBAC. The findings say where a
// real cluster would fail first.
import { existsSync, statSync } from 'node:fs';
import { ChartRenderer } from '../chart-renders/render.js';
import { UserError } from '../primitives/errors.js';
import { objectRef } from '../primitives/manifests.js';
import { ADMISSION, type AdmissionModel } from './admission-step.js';
import { groupOf, type ApiResource } from './api-resources.js';
import { IN_CLUSTER_SERVER, readArgoCdSettings, APPLICATION_HEALTH_KEY, type ArgoCdSettings } from './argocd-settings.js';
import { cacheOutcome } from './cluster-cache.js';
import { ClusterState, namespaceObject, type Problem } from './cluster-state.js';
import { sourcesOf, TreeCollector, type ChartSourceRenderer, type CollectedApplication, type CollectedCluster } from './collect.js';
import type { ClusterSimulation, SimFinding, SimObject, SimStep, SimStepSummary, SimulationReport } from './model.js';
import {
  annotationCsv, hasAnnotationOption, isCrd, isHook, sortTasks, syncPhases, SYNC_OPTIONS_ANNOTATION, taskWave, SYNC_PHASES, type SyncTask,
} from './order.js';
import { isDestinationPermitted, isGroupKindPermitted, isSourcePermitted } from './project.js';

type Obj = Record<string, any>;

export interface SimulateOptions {
  /** Only these clusters (names of clusters/<name>/); default: every cluster of the tree. */
  readonly clusters?: readonly string[];
  /** Renders Helm sources; default: a ChartRenderer over the local chart cache and ./charts.lock.json. */
  readonly charts?: ChartSourceRenderer;
  /** The admission chain and CRD rules; default: simulate/admission (null: not simulated). */
  readonly admission?: AdmissionModel | null;
}

/** Simulates every cluster of the rendered tree at `dir`. Bad input (no tree, unknown cluster) throws UserError. */
export async function simulateTree(dir: string, opts: SimulateOptions = {}): Promise<SimulationReport> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such folder (expected a rendered tree with clusters/<cluster>/bootstrap/ and apps/)`);
  const collector = new TreeCollector(dir, opts.charts ?? new ChartRenderer());
  const all = collector.clusters();
  if (!all.length) throw new UserError(`${dir}: not a rendered tree (no clusters/<cluster>/bootstrap/ or apps/ with YAML files)`);
  const unknown = (opts.clusters ?? []).filter((c) => !all.includes(c));
  if (unknown.length) throw new UserError(unknown.map((c) => `--cluster ${c}: no cluster "${c}" in ${dir} (it has: ${all.join(', ')})`));
  const admission = opts.admission === undefined ? ADMISSION : opts.admission ?? undefined;
  const clusters: ClusterSimulation[] = [];
  for (const c of opts.clusters?.length ? [...new Set(opts.clusters)].sort() : all) {
    clusters.push(await new ClusterSimulator(collector.collect(c), admission).run());
  }
  return { clusters };
}

const syncOptionsOf = (app: Obj): string[] => (app.spec?.syncPolicy?.syncOptions ?? []).map(String);

/** Where in the whole plan a namespace or CRD first appears, for messages about order. */
interface Provider { readonly step: SimStep; readonly application?: string; readonly wave?: number }

class ClusterSimulator {
  private readonly state: ClusterState;
  private readonly findings: SimFinding[] = [];
  private readonly steps: SimStepSummary[] = [];
  private readonly notSimulated: string[] = [];
  private settings!: ArgoCdSettings;
  private objects = 0;
  private applications = 0;
  /** What created each namespace (`ns:<name>`) and CRD (`crd:<group>/<Kind>`) during the syncs. */
  private readonly providers = new Map<string, Provider>();
  /** Where each namespace and CRD is first defined anywhere in the plan, for hints. */
  private readonly planned = new Map<string, Provider>();
  private readonly cacheReported = new Set<string>();
  private readonly droppedKinds = new Map<string, string>();
  private readonly dependencyReported = new Set<string>();

  constructor(private readonly c: CollectedCluster, admission: AdmissionModel | undefined) {
    this.state = new ClusterState(c.kubernetesVersion, admission);
  }

  async run(): Promise<ClusterSimulation> {
    const c = this.c;
    this.plan();
    const argo = c.children.find((a) => a.objects.some((o) => isCrd(o.object) && o.object.metadata?.name === 'applications.argoproj.io'));
    const argoNamespace = String(argo?.app.object.spec?.destination?.namespace ?? c.root?.app.object.metadata?.namespace ?? 'argocd');
    this.settings = readArgoCdSettings(argo?.objects ?? [], argoNamespace);
    await this.installArgoCd(argo, argoNamespace);
    await this.bootstrap();
    this.checkCache('argo-cd cluster cache');
    const waves = new Set<number>();
    if (!c.root) {
      this.add('bootstrap', { file: `clusters/${c.cluster}/bootstrap`, object: '' }, '', 'no Application in bootstrap/ whose source is a folder of this tree: nothing for Argo CD to sync');
    } else {
      await this.syncRoot(c.root, waves);
    }
    return {
      cluster: c.cluster,
      findings: this.findings,
      steps: this.steps,
      waves: [...waves].sort((a, b) => a - b),
      applications: this.applications,
      objects: this.objects,
      notSimulated: this.notSimulated,
    };
  }

  // ---- findings

  private add(step: SimStep, where: { file: string; object: string }, path: string, message: string): void {
    this.findings.push({ cluster: this.c.cluster, step, file: where.file, object: where.object, path, message });
  }

  private addProblems(step: SimStep, o: SimObject, problems: readonly Problem[]): void {
    for (const p of problems) this.add(step, { file: o.file, object: objectRef(o.object) }, p.path, p.message);
  }

  private where(step: SimStep, before: number, objects: number): void {
    this.steps.push({ step, objects, failed: this.findings.length > before });
  }

  // ---- plan hints

  private plan(): void {
    const note = (o: SimObject, step: SimStep, application?: string, wave?: number) => {
      const key = o.object.kind === 'Namespace' && groupOf(o.object.apiVersion) === '' ? `ns:${o.object.metadata?.name}`
        : isCrd(o.object) ? `crd:${o.object.spec?.group}/${o.object.spec?.names?.kind}` : undefined;
      if (key && !this.planned.has(key)) this.planned.set(key, { step, application, wave });
    };
    for (const o of this.c.bootstrap) note(o, 'bootstrap');
    for (const a of this.c.children) {
      const wave = rootWave(a.app.object);
      for (const o of a.objects) note(o, stepName(a.name, wave), a.name, wave);
    }
  }

  private hint(key: string, current: SimStep): string {
    const p = this.planned.get(key);
    if (!p) {
      const unrendered = this.c.children.filter((a) => a.problems.length).map((a) => a.name);
      return `; no object of this tree creates it${unrendered.length ? ` (unless a chart that could not be rendered does: ${unrendered.join(', ')})` : ''}`;
    }
    if (p.step === current) return '';
    const ran = this.steps.find((s) => s.step === p.step);
    if (ran) return `; it comes from [${p.step}]${ran.failed ? ', which fails' : ''}`;
    return `; it is created later, at [${p.step}]`;
  }

  // ---- the admin's steps

  /** README, bootstrapping step 1: `helm upgrade --install` of the argo-cd chart with the rendered values. */
  private async installArgoCd(argo: CollectedApplication | undefined, namespace: string): Promise<void> {
    const step = 'install argo-cd';
    const before = this.findings.length;
    if (!argo) {
      const apps = `clusters/${this.c.cluster}/apps`;
      this.add(step, { file: apps, object: '' }, '', 'no Application in apps/ renders Argo CD (CustomResourceDefinition applications.argoproj.io): the bootstrap\'s helm install of Argo CD cannot be simulated');
      this.where(step, before, 0);
      return;
    }
    // --create-namespace
    if (!this.state.namespaces.has(namespace)) this.state.record(namespaceObject(namespace), this.state.api.get('', 'Namespace')!, undefined);
    // Helm installs crds/ first, then the templates in its kind order, pre-install hooks before and post-install hooks after.
    const crds = argo.objects.filter((o) => isCrd(o.object));
    const rest = argo.objects.filter((o) => !isCrd(o.object));
    const tasks = sortTasks(rest.flatMap((o) => syncPhases(o.object).filter((p) => p !== 'SyncFail').map((phase) => ({ item: o, object: o.object, phase }))),
      (o) => o.metadata?.namespace || namespace);
    let n = 0;
    for (const o of [...crds, ...tasks.map((t) => t.item)]) {
      n++;
      this.addProblems(step, o, await this.state.apply(o, this.state.namespaceOf(o.object, namespace), { schema: true }));
    }
    this.objects += n;
    this.where(step, before, n);
  }

  /** `kubectl apply --server-side -f bootstrap/`: files in order; every kind resolved before the first apply. */
  private async bootstrap(): Promise<void> {
    const step = 'bootstrap';
    const before = this.findings.length;
    const resolved = this.c.bootstrap.map((o) => this.state.api.forObject(o.object) ?? null);
    for (const [i, o] of this.c.bootstrap.entries()) {
      const res = resolved[i];
      const problems = await this.state.apply(o, this.state.namespaceOf(o.object, 'default', res ?? undefined), { res, schema: true });
      this.addProblems(step, o, problems.map((p) => (p.path === '.kind' ? { ...p, message: `${p.message}${this.hint(`crd:${groupOf(o.object.apiVersion)}/${o.object.kind}`, step)}` }
        : p.path === '.metadata.namespace' ? { ...p, message: `${p.message}${this.hint(`ns:${o.object.metadata?.namespace}`, step)}${this.laterInBootstrap(o, i)}` } : p)));
    }
    this.objects += this.c.bootstrap.length;
    this.where(step, before, this.c.bootstrap.length);
  }

  private laterInBootstrap(o: SimObject, index: number): string {
    const ns = o.object.metadata?.namespace;
    const later = this.c.bootstrap.slice(index + 1).find((b) => b.object.kind === 'Namespace' && b.object.metadata?.name === ns);
    return later ? ` (kubectl applies bootstrap/ file by file, and ${later.file} comes after ${o.file})` : '';
  }

  // ---- Argo CD's cache

  private checkCache(step: SimStep): void {
    const before = this.findings.length;
    const rbac = this.state.rbac();
    const sa = this.settings.controller;
    const where = { file: this.settings.configFile ?? `clusters/${this.c.cluster}/bootstrap`, object: `ServiceAccount/${sa.namespace}/${sa.name}` };
    for (const res of this.state.api.all().sort((a, b) => `${a.group}/${a.kind}`.localeCompare(`${b.group}/${b.kind}`))) {
      const key = `${res.group}/${res.kind}`;
      if (this.cacheReported.has(key) || this.droppedKinds.has(key)) continue;
      const outcome = cacheOutcome(res, this.settings, rbac);
      if (!outcome || outcome.kind === 'watched') continue;
      if (outcome.kind === 'dropped') {
        this.droppedKinds.set(key, outcome.namespace);
        continue;
      }
      this.cacheReported.add(key);
      // One failing list fails the whole cache: the first is the one to fix.
      if (this.findings.slice(before).length) continue;
      this.add(step, where, '', `the application controller may not ${outcome.verb} ${resourceName(res)} ${outcome.namespace ? `in namespace ${outcome.namespace}` : 'cluster-wide'} (${res.source}): ${outcome.why}, and every Application shows ComparisonError`);
    }
    if (this.findings.length > before || step === 'argo-cd cluster cache') this.where(step, before, 0);
  }

  // ---- syncs

  private async syncRoot(root: CollectedApplication, waves: Set<number>): Promise<void> {
    const childByFile = new Map(this.c.children.map((a) => [`${a.app.file}#${objectRef(a.app.object)}`, a]));
    const unhealthy: { app: CollectedApplication; wave: number; reason: SimFinding }[] = [];
    const stalledReported = new Set<string>();
    await this.syncApplication(root, 'root', undefined, async (group, wave) => {
      // Before this wave: does the root wait for an earlier child that would not be Healthy?
      const waitingFor = unhealthy.filter((x) => x.wave < wave && !stalledReported.has(x.app.name));
      if (this.settings.applicationHealthCheck && waitingFor.length) {
        for (const u of waitingFor) stalledReported.add(u.app.name);
        const which = waitingFor.map((u) => `Application ${u.app.name} (wave ${u.wave}) fails at [${u.reason.step}]: ${u.reason.message}`);
        this.add(stepName('root', wave), { file: root.app.file, object: objectRef(root.app.object) }, '',
          `wave ${wave} never starts: the root waits for the earlier waves' Applications to be Healthy (argocd-cm ${APPLICATION_HEALTH_KEY}), and ${which.join('; ')}`);
      }
      const apps = group.map((t) => childByFile.get(`${t.item.file}#${objectRef(t.object)}`)).filter((a): a is CollectedApplication => !!a)
        .sort((a, b) => a.name.localeCompare(b.name));
      for (const app of apps) {
        waves.add(wave);
        const before = this.findings.length;
        await this.syncApplication(app, stepName(app.name, wave), wave);
        if (this.findings.length > before) unhealthy.push({ app, wave, reason: this.findings[before] });
      }
    }, true);
  }

  /**
   * One Application's sync (argo-cd controller/sync.go + gitops-engine sync_context.go): project
   * checks, then every task's kind and permissions, a client-side dry run, then the tasks wave by
   * wave until one fails. `afterWave` runs after each (phase, wave) group the root applies.
   */
  private async syncApplication(
    app: CollectedApplication, step: SimStep, rootWaveOfApp: number | undefined,
    afterWave?: (group: SyncTask<SimObject>[], wave: number) => Promise<void>, isRoot = false,
  ): Promise<void> {
    const before = this.findings.length;
    const stepIndex = this.steps.length;
    this.applications++;
    const o = app.app.object;
    const appRef = { file: app.app.file, object: objectRef(o) };
    for (const ext of app.external) this.notSimulated.push(`${app.name}: ${ext}`);
    const projectName = String(o.spec?.project || 'default');
    const project = this.state.get('argoproj.io', 'AppProject', this.settings.namespace, projectName);
    if (!project) {
      this.add(step, appRef, '.spec.project', `AppProject "${projectName}" does not exist in namespace ${this.settings.namespace} when this Application syncs: Argo CD refuses to sync it`);
      return this.where(step, before, 0);
    }
    sourcesOf(o).forEach((s, i) => {
      if (!isSourcePermitted(project, String(s.repoURL ?? ''))) {
        this.add(step, appRef, `${o.spec?.sources ? `.spec.sources[${i}]` : '.spec.source'}.repoURL`, `application repo ${s.repoURL} is not permitted in project '${projectName}' (sourceRepos: ${(project.spec?.sourceRepos ?? []).join(', ') || 'none'})`);
      }
    });
    const dest = o.spec?.destination ?? {};
    const destNamespace = String(dest.namespace ?? '');
    const cluster = { server: String(dest.server ?? (dest.name === 'in-cluster' ? IN_CLUSTER_SERVER : '')), name: dest.name };
    if (!isDestinationPermitted(project, cluster, destNamespace)) {
      this.add(step, appRef, '.spec.destination', `application destination {${cluster.server || cluster.name} ${destNamespace}} is not permitted in project '${projectName}'`);
    }
    for (const p of app.problems) this.add(step, { file: p.file, object: objectRef(o) }, p.path, p.message);
    if (this.findings.length > before) return this.where(step, before, 0);

    const options = syncOptionsOf(o);
    const prune = o.spec?.syncPolicy?.automated?.prune === true;
    const tasks: SyncTask<SimObject>[] = [];
    for (const item of app.objects) {
      for (const phase of syncPhases(item.object)) if ((SYNC_PHASES as readonly string[]).includes(phase)) tasks.push({ item, object: item.object, phase });
    }
    const nsOf = (x: Obj) => this.state.namespaceOf(x, destNamespace);
    // CreateNamespace=true: the controller creates the destination namespace before the dry run.
    if (options.includes('CreateNamespace=true') && destNamespace && !app.objects.some((x) => x.object.kind === 'Namespace' && x.object.metadata?.name === destNamespace)) {
      const nsObj: SimObject = { cluster: this.c.cluster, file: app.app.file, object: namespaceObject(destNamespace), application: app.name };
      if (!this.state.namespaces.has(destNamespace)) {
        const problems = [...this.controllerMay(nsObj.object, undefined, ['create'], this.state.api.get('', 'Namespace')!)];
        if (!problems.length) {
          this.state.record(nsObj.object, this.state.api.get('', 'Namespace')!, undefined);
          this.provide(`ns:${destNamespace}`, app.name, step, rootWaveOfApp);
        }
        this.addProblems(step, nsObj, problems);
        if (problems.length) return this.where(step, before, 1);
      }
    }
    const sorted = sortTasks(tasks, (x) => x.metadata?.namespace || destNamespace || undefined);

    // getSyncTasks: every kind must be served (or its dry run skipped) and permitted by the project.
    const skipDryRun = new Set<SyncTask<SimObject>>();
    const crdsHere = new Set(app.objects.filter((x) => isCrd(x.object)).map((x) => `${x.object.spec?.group}/${x.object.spec?.names?.kind}`));
    for (const t of sorted) {
      const res = this.state.api.forObject(t.object);
      const gk = `${groupOf(t.object.apiVersion)}/${t.object.kind}`;
      if (!res) {
        if (options.includes('SkipDryRunOnMissingResource=true') || hasAnnotationOption(t.object, SYNC_OPTIONS_ANNOTATION, 'SkipDryRunOnMissingResource=true') || crdsHere.has(gk)) {
          skipDryRun.add(t);
        } else {
          this.addProblems(step, t.item, [{ path: '.kind', message: `the server could not find the requested resource: no CRD serves ${gk} when ${app.name} syncs${this.hint(`crd:${gk}`, step)} (or set SkipDryRunOnMissingResource=true)` }]);
        }
        continue;
      }
      this.addProblems(step, t.item, this.permitted(t.object, res, project, projectName, cluster, nsOf(t.object)));
    }
    if (this.findings.length > before) return this.where(step, before, sorted.length);

    // The dry run (client-side: schemas) before anything is applied.
    for (const t of sorted) {
      if (skipDryRun.has(t)) continue;
      this.addProblems(step, t.item, await this.state.schemaProblems(t.item, this.state.api.forObject(t.object)));
    }
    if (this.findings.length > before) return this.where(step, before, sorted.length);

    // The tasks, one (phase, wave) group at a time; a failed group ends the sync.
    let applied = 0;
    for (const group of groups(sorted)) {
      const groupBefore = this.findings.length;
      for (const t of group) {
        applied++;
        const res = this.state.api.forObject(t.object);
        const ns = nsOf(t.object);
        const gk = `${groupOf(t.object.apiVersion)}/${t.object.kind}`;
        if (!res) {
          this.addProblems(step, t.item, [{ path: '.kind', message: `no matches for kind "${t.object.kind}" in version "${t.object.apiVersion}": the dry run was skipped, but no CRD serves ${gk} when it is applied${this.hint(`crd:${gk}`, step)}` }]);
          continue;
        }
        const verbs = isHook(t.object) ? ['get', 'create', ...(annotationCsv(t.object, 'argocd.argoproj.io/hook-delete-policy').length || annotationCsv(t.object, 'helm.sh/hook-delete-policy').length ? ['delete'] : [])]
          : ['get', 'create', 'patch', ...(prune ? ['delete'] : [])];
        const denied = [...this.controllerMay(t.object, ns, verbs, res), ...this.escalation(t.object, res, ns)];
        if (denied.length) {
          this.addProblems(step, t.item, denied);
          continue;
        }
        const isNamespace = t.object.kind === 'Namespace' && groupOf(t.object.apiVersion) === '';
        const crdKey = isCrd(t.object) ? `${t.object.spec?.group}/${t.object.spec?.names?.kind}` : undefined;
        // Only what this sync creates is provided by it (Argo CD re-applying its own CRDs is not).
        const creates = isNamespace ? !this.state.namespaces.has(String(t.object.metadata?.name)) : crdKey ? !this.state.crds.has(crdKey) : false;
        const problems = await this.state.apply(t.item, ns, { res, schema: skipDryRun.has(t) });
        if (problems.some((p) => p.path === '.metadata.namespace')) {
          this.addProblems(step, t.item, problems.map((p) => (p.path === '.metadata.namespace' ? { ...p, message: `${p.message}${this.hint(`ns:${ns}`, step)}` } : p)));
          continue;
        }
        this.addProblems(step, t.item, problems);
        if (problems.length) continue;
        if (!isRoot) this.checkOrderDependency(t, app, step, rootWaveOfApp, ns);
        if (creates) this.provide(isNamespace ? `ns:${t.object.metadata?.name}` : `crd:${crdKey}`, app.name, step, rootWaveOfApp);
      }
      this.objects += group.length;
      if (this.findings.length > groupBefore) break;
      if (afterWave) await afterWave(group, taskWave(group[0]));
    }
    // The root's children ran inside its sync: its own summary goes before theirs.
    const own = this.findings.slice(before).some((f) => f.step === step || (isRoot && f.step.endsWith(': root')));
    this.steps.splice(stepIndex, 0, { step, objects: applied, failed: own });
    if (!isRoot && app.objects.some((x) => isCrd(x.object))) this.checkCache(step);
  }

  private provide(key: string, application: string, step: SimStep, wave: number | undefined): void {
    if (!this.providers.has(key)) this.providers.set(key, { step, application, wave });
  }

  /**
   * Children of one wave sync at the same time, and without the Application health check the root
   * does not wait for a wave's children to be Healthy before it creates the next wave's either: an
   * object that needs a namespace or CRD another Application creates in the same wave (always), or
   * in an earlier wave (without the check), only works when that one happens to be done first.
   */
  private checkOrderDependency(t: SyncTask<SimObject>, app: CollectedApplication, step: SimStep, wave: number | undefined, ns: string | undefined): void {
    if (wave === undefined) return;
    const gk = `${groupOf(t.object.apiVersion)}/${t.object.kind}`;
    for (const [key, what] of [[`crd:${gk}`, `its CRD (${gk})`], [`ns:${ns}`, `namespace ${ns}`]] as const) {
      const p = this.providers.get(key);
      if (!p || p.application === app.name || p.wave === undefined || p.wave > wave) continue;
      if (p.wave < wave && this.settings.applicationHealthCheck) continue;
      const once = `${app.name}<-${p.application}`;
      if (this.dependencyReported.has(once)) continue;
      this.dependencyReported.add(once);
      this.addProblems(step, t.item, [{
        path: '',
        message: p.wave === wave
          ? `needs ${what} from Application ${p.application}, which syncs in the same wave ${wave}: the two sync at once, and this fails whenever ${p.application} is not done first (move one to another wave)`
          : `needs ${what} from Application ${p.application} (wave ${p.wave}), but the root does not wait for ${p.application} to be Healthy before wave ${wave}: argocd-cm has no ${APPLICATION_HEALTH_KEY} (Argo CD has no built-in health for Applications), so both sync at once and this fails whenever ${p.application} is not done first`,
      }]);
    }
  }

  /** validateSyncPermissions plus the namespaced-mode and cache checks of the controller. */
  private permitted(obj: Obj, res: ApiResource, project: Obj, projectName: string, cluster: { server: string; name?: string }, ns: string | undefined): Problem[] {
    // The first reason only: each is enough to stop the sync, and the project's comes first.
    if (!isGroupKindPermitted(project, res.group, res.kind, String(obj.metadata?.name ?? ''), res.namespaced)) {
      return [{ path: '.kind', message: `resource ${res.group}:${res.kind} is not permitted in project ${projectName}` }];
    }
    if (res.namespaced && !isDestinationPermitted(project, cluster, ns ?? '')) {
      return [{ path: '.metadata.namespace', message: `namespace ${ns} is not permitted in project '${projectName}'` }];
    }
    const s = this.settings;
    if (s.isExcluded(res.group, res.kind)) return [{ path: '.kind', message: `${res.group}/${res.kind} is excluded by argocd-cm resource.exclusions/inclusions: Argo CD never applies it` }];
    if (s.namespaces.length && res.namespaced && ns && !s.namespaces.includes(ns)) {
      return [{ path: '.metadata.namespace', message: `namespace "${ns}" is not managed: the in-cluster cluster Secret lists only ${s.namespaces.join(', ')}` }];
    }
    if (s.namespaces.length && !res.namespaced && !s.clusterResources) {
      return [{ path: '.kind', message: `cluster-scoped ${res.kind} cannot be managed: the in-cluster cluster Secret sets namespaces without clusterResources: true` }];
    }
    const dropped = this.droppedKinds.get(`${res.group}/${res.kind}`);
    if (dropped !== undefined) {
      return [{ path: '.kind', message: `${resourceName(res)} is not in Argo CD's cluster cache (the controller may not list and watch it ${dropped ? `in namespace ${dropped}` : 'cluster-wide'}, and resource.respectRBAC drops the kind): the Application never sees it live and stays OutOfSync` }];
    }
    return [];
  }

  /**
   * RBAC's escalation prevention: the controller may create a Role or ClusterRole only with rules
   * it holds itself, or with `escalate` on that kind; a binding only to a role whose rules it holds,
   * or with `bind` on that role.
   */
  private escalation(obj: Obj, res: ApiResource, ns: string | undefined): Problem[] {
    if (res.group !== 'rbac.authorization.k8s.io') return [];
    const sa = this.settings.controller;
    const rbac = this.state.rbac();
    const scope = res.namespaced ? ns ?? '' : '';
    const name = String(obj.metadata?.name ?? '');
    const holds = (verb: string, resource: string, resourceName: string) => rbac.allows(sa, { verb, group: res.group, resource, namespace: scope, name: resourceName });
    const who = `the application controller (ServiceAccount ${sa.namespace}/${sa.name})`;
    if (res.kind === 'Role' || res.kind === 'ClusterRole') {
      const missing = rbac.uncovered(sa, obj.rules ?? [], scope);
      if (!missing.length || holds('escalate', res.resource, name)) return [];
      return [{ path: '.rules', message: `${who} may not grant ${describeRule(missing[0])}${missing.length > 1 ? ` (and ${missing.length - 1} more rule(s))` : ''}, which it does not hold, without escalate on ${res.resource}.${res.group}` }];
    }
    if (res.kind === 'RoleBinding' || res.kind === 'ClusterRoleBinding') {
      const ref = obj.roleRef ?? {};
      const refResource = ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
      const missing = rbac.uncovered(sa, rbac.roleRules(String(ref.kind), String(ref.name), ns), scope);
      if (!missing.length || rbac.allows(sa, { verb: 'bind', group: res.group, resource: refResource, namespace: ref.kind === 'ClusterRole' && !res.namespaced ? '' : scope, name: String(ref.name) })) return [];
      return [{ path: '.roleRef', message: `${who} may not bind ${ref.kind} ${ref.name}: it does not hold ${describeRule(missing[0])}${missing.length > 1 ? ` (and ${missing.length - 1} more rule(s))` : ''}, and has no bind on ${refResource}.${res.group}` }];
    }
    return [];
  }

  /** The verbs the controller lacks for one object; one problem naming all of them. */
  private controllerMay(obj: Obj, ns: string | undefined, verbs: readonly string[], res: ApiResource): Problem[] {
    const sa = this.settings.controller;
    const rbac = this.state.rbac();
    const name = String(obj.metadata?.name ?? '');
    // create is authorized without a name (resourceNames cannot allow it); the others with one.
    const missing = verbs.filter((verb) => !rbac.allows(sa, { verb, group: res.group, resource: res.resource, namespace: res.namespaced ? ns ?? '' : '', name: verb === 'create' ? '' : name }));
    if (!missing.length) return [];
    return [{ path: '', message: `the application controller (ServiceAccount ${sa.namespace}/${sa.name}) may not ${missing.join(', ')} ${resourceName(res)} ${res.namespaced ? `in namespace ${ns}` : 'cluster-wide'}; a sync needs ${verbs.join(', ')}` }];
  }
}

function* groups(tasks: SyncTask<SimObject>[]): Generator<SyncTask<SimObject>[]> {
  let current: SyncTask<SimObject>[] = [];
  for (const t of tasks) {
    if (current.length && (current[0].phase !== t.phase || taskWave(current[0]) !== taskWave(t))) {
      yield current;
      current = [];
    }
    current.push(t);
  }
  if (current.length) yield current;
}

const describeRule = (r: Record<string, any>) =>
  `${(r.verbs ?? []).join(',')} on ${(r.resources ?? []).join(',')} in API group(s) ${(r.apiGroups ?? []).map((g: string) => (g === '' ? '""' : g)).join(',')}`;

const resourceName = (r: ApiResource) => (r.group ? `${r.resource}.${r.group}` : r.resource);

/** The wave the root gives a child Application (its own sync-wave annotation). */
const rootWave = (app: Obj): number => taskWave({ item: undefined, object: app, phase: 'Sync' });

export const stepName = (application: string, wave: number): SimStep => `wave ${wave}: ${application}`;
