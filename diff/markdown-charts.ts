// The chart part of the PR comment (see charts.ts): a totals line and the sources that could not
// be compared (in the summary), then one collapsed section per cluster and Application listing
// the objects its chart renders differently. A section that does not fit is summarised by kind.
import { countsText, html, objectBody, objectLine } from './markdown-objects.js';
import { chartSourceText, DELETION_TEXT, deletionCounts, type ChartComponentDiff, type ChartNotCompared, type DiffReport, type ObjectDiff } from './model.js';

/** Sources named per not-compared line before "and N more". */
const MAX_SOURCES_NAMED = 5;

const SECTION_TITLE = '\n## What the charts render\n\n' +
  '_The objects the changed Helm sources of the Applications render, base against head: what Argo CD applies, in no file of the tree._\n';

/** `**Charts**: ...`, or '' when no chart source differs. */
export function chartTotals(r: DiffReport): string {
  const c = r.charts;
  if (!c || (c.summary.compared === 0 && c.summary.notCompared === 0)) return '';
  const s = c.summary;
  const what = s.added + s.changed + s.removed === 0
    ? 'the same objects on both sides'
    : `**${s.added}** added · **${s.changed}** changed · **${s.removed}** removed objects (below, under _What the charts render_)`;
  return `**Charts**: the ${s.compared} changed Helm source${s.compared === 1 ? ' renders' : 's render'} ${what}.\n\n`;
}

/** The sources whose objects were not compared, one line per cause (which names chart, version and fix); within `budget`. */
export function chartWarnings(r: DiffReport, budget: number): string {
  const missing = r.charts?.notCompared ?? [];
  if (missing.length === 0) return '';
  const byMessage = new Map<string, ChartNotCompared[]>();
  for (const m of missing) byMessage.set(m.message, [...(byMessage.get(m.message) ?? []), m]);
  const lines = [...byMessage].map(([message, all]) => {
    const named = all.slice(0, MAX_SOURCES_NAMED).map((m) => `\`${m.cluster}/${m.application}\` (${m.side})`).join(', ');
    const more = all.length > MAX_SOURCES_NAMED ? ` and ${all.length - MAX_SOURCES_NAMED} more` : '';
    return `> - ${message} — ${named}${more}\n`;
  });
  const head = `> [!WARNING]\n> **${missing.length} chart source${missing.length === 1 ? ' was' : 's were'} not fully compared**: objects are missing from this diff.\n>\n`;
  let out = head;
  for (const [i, l] of lines.entries()) {
    const cut = `> - … and ${lines.length - i} more; see \`--format json\` (\`charts.notCompared\`).\n`;
    if (out.length + l.length + (i < lines.length - 1 ? cut.length : 0) + 1 > budget) return `${out}${cut}\n`;
    out += l;
  }
  return `${out}\n`;
}

/** What the sections of a component take in full, with headers only, and summarised by kind. */
interface Candidate {
  readonly clusterHeader: string;
  readonly full: string;
  readonly lines: string;
  readonly summarised: string;
  readonly objects: number;
  readonly bodies: number;
}

function candidates(r: DiffReport): Candidate[] {
  const out: Candidate[] = [];
  for (const c of r.charts?.clusters ?? []) {
    let clusterHeader = `\n### \`${c.name}\`${c.prod ? ' (prod)' : ''}\n`;
    for (const comp of c.components) {
      const open = `\n<details><summary><code>${html(comp.name)}</code> — ${chartSourceText(comp, (x) => `<code>${html(x)}</code>`)}: ${countsText(comp)}</summary>\n\n`;
      const close = '\n</details>\n';
      const bodies = comp.objects.map(objectBody);
      const lines = comp.objects.map(objectLine);
      out.push({
        clusterHeader,
        full: open + lines.map((l, i) => l + bodies[i]).join('') + close,
        lines: open + lines.join('') + close,
        summarised: open + byKind(comp) + close,
        objects: comp.objects.length,
        bodies: bodies.filter(Boolean).length,
      });
      clusterHeader = '';
    }
  }
  return out;
}

/** The size of the chart sections with every component summarised: what the comment must keep for them. */
export function chartSectionsMinimum(r: DiffReport): number {
  const all = candidates(r);
  return all.length === 0 ? 0 : SECTION_TITLE.length + all.reduce((n, c) => n + c.clusterHeader.length + c.summarised.length, 0);
}

/**
 * The chart sections within `room` characters: each component in full if it fits (keeping room
 * for the later ones summarised), else its object lines without patches, else counts per kind;
 * components that fit in no form are cut (counted in `objectsCut`).
 */
export function chartSections(r: DiffReport, room: number): { text: string; bodiesCut: number; objectsCut: number } {
  const all = candidates(r);
  if (all.length === 0) return { text: '', bodiesCut: 0, objectsCut: 0 };
  if (SECTION_TITLE.length > room) return { text: '', bodiesCut: 0, objectsCut: all.reduce((n, c) => n + c.objects, 0) };
  // later[i]: the components after i, summarised.
  const later: number[] = new Array(all.length + 1).fill(0);
  for (let i = all.length - 1; i >= 0; i--) later[i] = later[i + 1] + all[i].clusterHeader.length + all[i].summarised.length;
  let text = SECTION_TITLE;
  let bodiesCut = 0;
  let objectsCut = 0;
  let pendingHeader = '';
  for (const [i, c] of all.entries()) {
    // A cluster's header goes out with its first component that is shown.
    if (c.clusterHeader) pendingHeader = c.clusterHeader;
    const fits = (s: string, keep: number) => text.length + pendingHeader.length + s.length + keep <= room;
    const keep = later[i + 1];
    let chosen: string | undefined;
    if (fits(c.full, keep)) chosen = c.full;
    else if (fits(c.lines, keep)) { chosen = c.lines; bodiesCut += c.bodies; }
    else if (fits(c.summarised, keep) || fits(c.summarised, 0)) { chosen = c.summarised; objectsCut += c.objects; }
    if (chosen === undefined) { objectsCut += c.objects; continue; }
    text += pendingHeader + chosen;
    pendingHeader = '';
  }
  return { text, bodiesCut, objectsCut };
}

/** Counts per kind instead of the list: `Deployment` ~1, `ClusterRole` +2 −1; and what happens to the removed ones. */
function byKind(comp: ChartComponentDiff): string {
  const kinds = new Map<string, { added: number; changed: number; removed: number }>();
  for (const o of comp.objects) {
    const k = kinds.get(o.kind) ?? { added: 0, changed: 0, removed: 0 };
    k[o.change]++;
    kinds.set(o.kind, k);
  }
  const parts = [...kinds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([kind, n]) =>
    `\`${kind}\` ${[n.added && `+${n.added}`, n.changed && `~${n.changed}`, n.removed && `−${n.removed}`].filter(Boolean).join(' ')}`);
  const fates = deletionCounts(comp.objects as ObjectDiff[]).map(([d, n]) => ` ⚠️ ${DELETION_TEXT[d].many(n)}.`).join('');
  return `Too many to list within the comment limit; by kind: ${parts.join(', ')}.${fates}\n`;
}
