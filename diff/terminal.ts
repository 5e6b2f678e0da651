import { styleText } from 'node:util';
import { stackLines } from './stacks.js';
import { chartSourceText, DELETION_TEXT, type DiffReport, type ObjectDiff, deletionCounts } from './model.js';

type Style = Parameters<typeof styleText>[0];

/**
 * Whether to colour output written to `stream`: never with NO_COLOR set (no-color.org), always
 * with FORCE_COLOR set to anything but 0, otherwise only on a terminal.
 */
export function shouldColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return stream.isTTY === true;
}

/** The diff for a terminal: one block per cluster and component, the YAML patch under each object. */
export function renderTerminal(report: DiffReport, opts: { color: boolean }): string {
  const paint = (style: Style, s: string) => (opts.color ? styleText(style, s, { validateStream: false }) : s);
  const s = report.summary;
  const base = report.base.commit ? `${report.base.label} (${report.base.commit.slice(0, 12)})` : report.base.label;
  const out: string[] = [paint('bold', `infra-synth diff: ${base} → ${report.head.label}`)];
  if (!s.hasChanges) {
    out.push(`No changes: all ${s.clusters} clusters render the same objects.`);
    return out.join('\n') + '\n';
  }
  out.push(
    `${s.changedClusters} of ${s.clusters} clusters change: ` +
      `${paint('green', `+${s.added} added`)}, ${paint('yellow', `~${s.changed} changed`)}, ${paint('red', `-${s.removed} removed`)}` +
      (s.moved ? `; ${s.moved} moved (not a change)` : ''),
  );
  if (s.removed) {
    out.push(paint(['red', 'bold'], `${s.removed} object(s) removed from the tree:`));
    out.push(...fateLines(report.clusters, paint));
  }
  for (const r of report.recipients) {
    out.push(paint(['magenta', 'bold'], `decrypt rights of ${r.cluster}'s secrets (age recipients, .sops.yaml):`));
    for (const k of r.added) out.push(paint('green', `  + ${k}`));
    for (const k of r.removed) out.push(paint('red', `  - ${k}`));
  }
  for (const st of report.stacks ?? []) {
    out.push(paint(['magenta', 'bold'], `OpenTofu stack infra/${st.cluster}/${st.status === 'changed' ? '' : ` [${st.status === 'added' ? 'new stack' : 'stack removed'}]`}:`));
    for (const line of stackLines(st)) out.push(`  ${line.startsWith('-') ? paint('red', line) : line.startsWith('+') ? paint('green', line) : line}`);
  }
  if (report.charts) out.push(...chartSummary(report, paint));
  for (const c of report.clusters) {
    const tag = [c.prod && 'prod', c.status === 'added' && 'new cluster', c.status === 'removed' && 'cluster removed'].filter(Boolean).join(', ');
    out.push('', paint('bold', `${c.name}${tag ? ` [${tag}]` : ''}`) + `  +${c.added} ~${c.changed} -${c.removed}`);
    for (const comp of c.components) {
      out.push(`  ${paint('cyan', comp.name)}`);
      for (const o of comp.objects) out.push(...objectLines(o, paint));
    }
  }
  for (const c of report.charts?.clusters ?? []) {
    out.push('', paint('bold', `${c.name}${c.prod ? ' [prod]' : ''}: what the charts render`) + `  +${c.added} ~${c.changed} -${c.removed}`);
    for (const comp of c.components) {
      out.push(`  ${paint('cyan', comp.name)} (${chartSourceText(comp)})`);
      for (const o of comp.objects) out.push(...objectLines(o, paint));
    }
  }
  return out.join('\n') + '\n';
}

/** The chart totals, and every source whose objects were not compared (a line each: chart, version, fix). */
function chartSummary(report: DiffReport, paint: (style: Style, s: string) => string): string[] {
  const s = report.charts!.summary;
  const out: string[] = [];
  if (s.compared) out.push(`charts: ${s.compared} changed Helm source(s) render +${s.added} ~${s.changed} -${s.removed} objects`);
  if (s.removed) {
    out.push(paint(['red', 'bold'], `${s.removed} chart object(s) no longer rendered:`));
    out.push(...fateLines(report.charts!.clusters, paint));
  }
  for (const m of report.charts!.notCompared) out.push(paint(['yellow', 'bold'], `warning: ${m.cluster}/${m.application} (${m.side}): ${m.message}`));
  return out;
}

/** What happens to the removed objects, one line per fate. */
function fateLines(clusters: readonly { components: readonly { objects: readonly ObjectDiff[] }[] }[], paint: (style: Style, s: string) => string): string[] {
  const all = clusters.flatMap((c) => c.components.flatMap((comp) => comp.objects));
  return deletionCounts(all).map(([d, n]) => paint('red', `  ${DELETION_TEXT[d].many(n)}`));
}

/** The object's line, then its patch (none for a removed one). */
function objectLines(o: ObjectDiff, paint: (style: Style, s: string) => string): string[] {
  const patch = o.change === 'removed' ? [] : o.patch.trimEnd().split('\n').filter(Boolean).map((l) => `      ${patchLine(l, paint)}`);
  return [`    ${objectLine(o, paint)}`, ...patch];
}

function objectLine(o: ObjectDiff, paint: (style: Style, s: string) => string): string {
  const id = `${o.ref} (${o.apiVersion})`;
  if (o.change === 'removed') return paint('red', `- ${id}  ${DELETION_TEXT[o.deletion ?? 'by-hand'].one}`);
  if (o.change === 'added') return paint('green', `+ ${id}`);
  const plain = o.fields.filter((f) => !f.secret).map((f) => f.path);
  const secret = o.fields.filter((f) => f.secret).map((f) => f.path);
  return paint('yellow', `~ ${id}`) +
    (plain.length ? `  ${plain.join(', ')}` : '') +
    (secret.length ? `  secret values changed (not shown): ${secret.join(', ')}` : '');
}

function patchLine(l: string, paint: (style: Style, s: string) => string): string {
  if (l.startsWith('@@')) return paint('cyan', l);
  if (l.startsWith('+')) return paint('green', l);
  if (l.startsWith('-')) return paint('red', l);
  return l;
}
