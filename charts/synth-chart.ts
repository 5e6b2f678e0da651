import { ApiObject, ApiObjectMetadataDefinition, App, Chart, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import type { IConstruct } from 'constructs';

/**
 * A chart's Kubernetes objects, as cdk8s's `chart.toJson()` gives them, without the work cdk8s
 * does that a chart of plain objects does not need (issue 16 item 5). `chart.toJson()`:
 *
 * - walks the whole App three times per chart (dependencies twice, validation once), so a
 *   cluster's 20 charts cost 20 walks of every construct of the cluster; here only the chart's
 *   own constructs are walked, once;
 * - resolves each object's values with `App.of(object)` looked up again at every value, a
 *   ResolutionContext and a copied key path per value and the three resolvers called on every
 *   string and number, then copies the whole tree a second time to sort its keys and drop empty
 *   values (`sanitizeValue`); here one pass does both, with cdk8s's built-in resolvers inlined.
 *
 * Every construct still renders as cdk8s renders it (ours, cdk8s-plus, a user's own): a Lazy, an
 * implicit token (`resolve()`), a number-or-string union and a JSON patch are handled as cdk8s
 * handles them. Whatever the fast path does not model exactly is left to cdk8s itself:
 * - the whole chart, when it overrides toJson, a construct in it has dependencies, the chart is
 *   nested in another chart or holds one (dependency order and nested charts are cdk8s's), or its App has resolvers
 *   of its own, or keys must not be sorted (CDK8S_DISABLE_SORT);
 * - one object, when a value is neither JSON data nor one of the tokens above (a class instance
 *   cdk8s refuses with its own message).
 *
 * Validation: cdk8s validates every construct of the App at each chart; here the chart's own
 * constructs and the App. Each chart of a cluster is synthesized right after it is built, so each
 * construct is still validated, and before any object of its chart is serialized.
 */
export function synthChart(chart: Chart): any[] {
  const app = chart.node.scope;
  if (chart.toJson !== Chart.prototype.toJson || !app || !(app instanceof App) || !fastPathApplies(app)) return chart.toJson();
  const constructs = chart.node.findAll();
  const objects: ApiObject[] = [];
  for (const c of constructs) {
    if (c.node.dependencies.length || (c !== chart && Chart.isChart(c))) return chart.toJson();
    if (ApiObject.isApiObject(c)) objects.push(c);
  }
  validate([app, ...constructs]);
  const proto = ApiObject.prototype as unknown as { toJson: () => any };
  const before = proto.toJson;
  const outer = synthesizing;
  // The L1 classes (imports/, cdk8s-plus's k8s) serialize through `super.toJson()`, which only the
  // prototype reaches; restored before returning, so nothing outside this call sees it.
  proto.toJson = fastToJson;
  synthesizing = app;
  try {
    return objects.map((o) => o.toJson());
  } finally {
    proto.toJson = before;
    synthesizing = outer;
  }
}

/** cdk8s's own ApiObject serialization, for what the fast path leaves to it. */
const cdk8sToJson: () => any = ApiObject.prototype.toJson;

/** The App whose chart synthChart is serializing: objects of another App are left to cdk8s. */
let synthesizing: App | undefined;

/**
 * The cdk8s whose ApiObject and metadata serialization fastToJson and metadataJson mirror (they
 * read its private `props`, `patches` and metadata fields). Another minor version is left to
 * cdk8s until someone compares its api-object.js and metadata.js with them and updates this.
 */
export const CHECKED_CDK8S = '2.70.';

/** What cdk8s resolves against is exactly what the fast path assumes. */
export function fastPathApplies(app: App): boolean {
  const rtti = (ApiObject as unknown as Record<symbol, { version?: string } | undefined>)[Symbol.for('jsii.rtti')];
  if (!rtti?.version?.startsWith(CHECKED_CDK8S)) return false;
  if (ApiObject.prototype.toJson !== cdk8sToJson || process.env.CDK8S_DISABLE_SORT) return false;
  const r = app.resolvers;
  if (r.length !== 3 || r[0].constructor !== LazyResolver || r[1].constructor !== ImplicitTokenResolver || r[2].constructor !== NumberStringUnionResolver) return false;
  // The built-in resolvers look at `.resolve` and `.value` of every value, strings and numbers
  // included; the fast path skips primitives, which is only right while no prototype has those.
  for (const p of [Object.prototype, String.prototype, Number.prototype, Boolean.prototype, BigInt.prototype, Symbol.prototype] as any[]) {
    if (p.resolve !== undefined || p.value !== undefined) return false;
  }
  return true;
}

/** cdk8s's validation of a chart, with its message. */
function validate(constructs: readonly IConstruct[]): void {
  const errors: string[] = [];
  for (const c of constructs) for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
  if (errors.length) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/** A value the fast path does not model: the object is serialized by cdk8s instead. */
const NOT_PLAIN = Symbol('not plain JSON');

/** ApiObject.prototype.toJson as cdk8s 2.70 writes it, with resolve and sanitize in one pass. */
function fastToJson(this: ApiObject): any {
  if (App.of(this) !== synthesizing) return cdk8sToJson.call(this);
  const self = this as unknown as { props: Record<string, unknown>; patches: JsonPatch[] };
  try {
    const data = { ...self.props, metadata: metadataJson(this.metadata) };
    const json = plain(data, false) as Record<string, unknown>;
    const patched = self.patches.length ? JsonPatch.apply(json, ...self.patches) : json;
    // apiVersion, kind and metadata first, then the rest (sorted): cdk8s's order.
    const result: Record<string, unknown> = {};
    for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) if (k in patched) result[k] = patched[k];
    return result;
  } catch (e) {
    if (e === NOT_PLAIN) return cdk8sToJson.call(this);
    throw new Error(`Failed serializing construct at path '${this.node.path}' with name '${this.name}': ${e}`);
  }
}

/** ApiObjectMetadataDefinition.toJson as cdk8s 2.70 writes it: empty lists and maps left out. */
function metadataJson(metadata: ApiObjectMetadataDefinition): unknown {
  const m = metadata as unknown as Record<string, any>;
  return plain({
    ...m._additionalAttributes,
    name: m.name,
    namespace: m.namespace,
    annotations: m.annotations,
    finalizers: m.finalizers,
    ownerReferences: m.ownerReferences,
    labels: m.labels,
  }, true);
}

/**
 * cdk8s's `sanitizeValue(resolve([], value, obj), options)` for the App's built-in resolvers
 * (LazyResolver, ImplicitTokenResolver, NumberStringUnionResolver, in that order): null and
 * undefined leave objects, keys are sorted, tokens are replaced by what they produce; with
 * `filterEmpty` (filterEmptyArrays and filterEmptyObjects), empty lists and maps leave too.
 */
function plain(value: any, filterEmpty: boolean): unknown {
  if (value == null) return undefined;
  const type = typeof value;
  if (type !== 'object' && type !== 'function') return value;
  if (value instanceof Lazy) return plain(value.produce(), filterEmpty);
  if (typeof value.resolve === 'function') return plain(value.resolve(), filterEmpty);
  if (value.constructor !== Object) {
    const inner = value.value;
    if (typeof inner === 'number' || typeof inner === 'string') return plain({ value: inner }, filterEmpty);
  }
  if (Array.isArray(value)) {
    if (filterEmpty && value.length === 0) return undefined;
    return value.map((x) => plain(x, filterEmpty));
  }
  if (value.constructor === Object) {
    const out: Record<string, unknown> = {};
    let empty = true;
    for (const k of Object.keys(value).sort()) {
      // cdk8s's copy assigns `__proto__` as the prototype, so the key never reaches the output.
      if (k === '__proto__') continue;
      const v = plain(value[k], filterEmpty);
      if (v != null) { out[k] = v; empty = false; }
    }
    return filterEmpty && empty ? undefined : out;
  }
  if (type === 'function') return value;
  throw NOT_PLAIN;
}
