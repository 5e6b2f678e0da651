import { chartSections, chartSectionsMinimum, chartTotals, chartWarnings } from './markdown-charts.js';
import { countsText, fitLines, html, objectBody, objectLine, type Line } from './markdown-objects.js';
import { stackLines } from './stacks.js';
import { DELETION_TEXT, type ClusterDiff, type Deletion, type DiffReport, type ObjectDiff, type TreeSource, deletionCounts } from './model.js';

/** First line of every comment: CI finds the comment it posted before by it and updates it. */
export const DIFF_COMMENT_MARKER = '<!-- infra-synth-diff -->';
/** GitHub rejects issue and pull-request comments longer than this (in characters). */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /** @default GITHUB_COMMENT_LIMIT */
  readonly maxChars?: number;
}

/**
 * The diff as a pull-request comment: the marker, a summary (deletions first and loud, then one
 * row per changed cluster, prod first), then one collapsible section per cluster and component
 * with a unified YAML diff per object, then the same per cluster and Application for the objects
 * the changed Helm charts render. Past `maxChars` the details are cut, never the summary
 * (bar a fleet so large that its own table overflows: then its rows are cut too, with a note).
 */
export function renderMarkdown(report: DiffReport, opts: MarkdownOptions = {}): string {
  const max = opts.maxChars ?? GITHUB_COMMENT_LIMIT;
  const title = titleBlock(report);
  if (!report.summary.hasChanges) {
    const moved = report.summary.moved ? ` ${report.summary.moved} object(s) moved to another file, which is not a change.` : '';
    return `${title}**No changes**: all ${report.summary.clusters} clusters render the same objects as the base.${moved}\n`;
  }

  // Worst-case size of the note that says details were cut: it must always fit.
  const reserve = cutNote(report, 9_999_999, 9_999_999).length + 1;
  const tail = footer(report);
  const tableLines = summaryTable(report);
  const keys = recipientBlock(report) + stackBlock(report);
  const charts = chartTotals(report);
  const fixed = title.length + charts.length + keys.length + tail.length + reserve;
  // The deletion list gets first call on the space: it is what a reviewer must not miss.
  const tableSize = tableLines.reduce((n, l) => n + l.text.length, 0);
  const deletionBudget = Math.max(0, max - fixed - tableSize);
  const deletions = deletionBlock(report, deletionBudget);
  const chartDeletions = chartDeletionBlock(report, Math.max(0, max - fixed - deletions.length - tableSize));
  // Then the chart sources whose objects this diff could not show.
  const unseen = chartWarnings(report, Math.max(0, max - fixed - deletions.length - chartDeletions.length - tableSize));
  const table = fitLines(tableLines, max - fixed - deletions.length - chartDeletions.length - unseen.length, (n) => `\n_… ${n} more cluster rows cut to fit the comment limit; see \`--format json\`._\n`);
  const summary = title + charts + deletions + chartDeletions + unseen + keys + table + tail;

  // The chart sections keep room for each of their components summarised by kind (at most half
  // of what is left): the tree's own objects come first, but must not crowd the charts out.
  const chartRoom = Math.min(chartSectionsMinimum(report), Math.floor((max - reserve - summary.length) / 2));
  const limit = max - reserve - chartRoom;
  const parts: string[] = [summary];
  let used = summary.length;
  const push = (s: string) => { parts.push(s); used += s.length; };
  let mode: 'full' | 'headers' | 'stop' = 'full';
  let bodiesCut = 0;
  let objectsCut = 0;

  for (const c of report.clusters) {
    let clusterHeaderDone = false;
    const clusterHeader = `\n### \`${c.name}\`${c.prod ? ' (prod)' : ''}${statusNote(c)}\n`;
    for (const comp of c.components) {
      const open = `\n<details><summary><code>${html(comp.name)}</code>: ${countsText(comp)}</summary>\n\n`;
      const close = '\n</details>\n';
      const header = clusterHeaderDone ? '' : clusterHeader;
      if (mode === 'stop' || used + header.length + open.length + close.length > limit) {
        mode = 'stop';
        objectsCut += comp.objects.length;
        continue;
      }
      push(header);
      clusterHeaderDone = true;
      push(open);
      for (const o of comp.objects) {
        if (mode === 'stop') { objectsCut++; continue; }
        const line = objectLine(o);
        const body = objectBody(o);
        if (mode === 'full' && used + line.length + body.length + close.length <= limit) {
          push(line + body);
        } else if (used + line.length + close.length <= limit) {
          if (body) { mode = 'headers'; bodiesCut++; }
          push(line);
        } else {
          mode = 'stop';
          objectsCut++;
        }
      }
      push(close);
    }
  }
  const chartPart = chartSections(report, max - reserve - used);
  push(chartPart.text);
  bodiesCut += chartPart.bodiesCut;
  objectsCut += chartPart.objectsCut;
  if (bodiesCut || objectsCut) push(cutNote(report, bodiesCut, objectsCut));
  return parts.join('');
}

function titleBlock(r: DiffReport): string {
  const s = r.summary;
  const stacks = r.stacks?.length ? `; ${r.stacks.length} OpenTofu stack${r.stacks.length === 1 ? '' : 's'} change` : '';
  const what = s.hasChanges ? `${s.changedClusters} of ${s.clusters} clusters change${stacks}` : 'no changes';
  return `${DIFF_COMMENT_MARKER}\n## infra-synth diff: ${what}\n\n` +
    (s.hasChanges ? `**${s.added}** added · **${s.changed}** changed · **${s.removed}** removed objects. ` : '') +
    `Base ${sourceText(r.base)} → head ${sourceText(r.head)}.\n\n`;
}

function sourceText(s: TreeSource): string {
  return s.kind === 'git' && s.commit ? `\`${s.label}\` (\`${s.commit.slice(0, 12)}\`)` : `\`${s.label}\``;
}

/** A cluster's removed objects by component (the tree's clusters, or the charts' with their Applications). */
interface RemovalCluster {
  readonly name: string;
  readonly prod: boolean;
  readonly status?: ClusterDiff['status'];
  readonly removed: number;
  readonly components: readonly { readonly name: string; readonly objects: readonly ObjectDiff[] }[];
}

function deletionBlock(r: DiffReport, budget: number): string {
  return removalBlock(r.clusters, r.summary.removed, 'removed from the tree', budget);
}

/** Chart objects no longer rendered: deleting a CRD deletes every resource of it, so they are as loud as the tree's. */
function chartDeletionBlock(r: DiffReport, budget: number): string {
  return removalBlock(r.charts?.clusters ?? [], r.charts?.summary.removed ?? 0, 'no longer rendered by their Application\'s chart', budget);
}

function removalBlock(clusters: readonly RemovalCluster[], total: number, where: string, budget: number): string {
  if (total === 0) return '';
  const lines: Line[] = [];
  for (const c of clusters) {
    if (c.status === 'removed') {
      lines.push({ text: `> - **\`${c.name}\`${c.prod ? ' (prod)' : ''}: the whole cluster is removed** — all ${c.removed} objects below\n`, count: 0 });
    }
    for (const comp of c.components) {
      const gone = comp.objects.filter((o) => o.change === 'removed');
      if (gone.length === 0) continue;
      const prefix = c.status === 'removed' ? '>   - ' : '> - ';
      // One line per component and fate (a component's objects share their folder's Application).
      for (const [fate] of deletionCounts(gone)) {
        const these = gone.filter((o) => (o.deletion ?? 'by-hand') === fate);
        lines.push({
          text: `${prefix}\`${c.name}\`${c.prod && c.status !== 'removed' ? ' (prod)' : ''} / \`${comp.name}\`: ${these.map((o) => `\`${o.ref}\``).join(', ')} — ${FATE_SHORT[fate]}\n`,
          count: these.length,
        });
      }
    }
  }
  const all = clusters.flatMap((c) => c.components.flatMap((comp) => comp.objects));
  const fates = deletionCounts(all).map(([d, n]) => `> - ${DELETION_TEXT[d].many(n)}\n`).join('');
  const head = `> [!CAUTION]\n> **${total} object${total === 1 ? ' is' : 's are'} ${where}**:\n${fates}>\n`;
  return fitLines([{ text: head, count: 0 }, ...lines], budget,
    (n) => `> - … and ${n} more deleted objects, cut to fit the comment limit; see \`--format json\`.\n`) + '\n';
}

const FATE_SHORT: Record<Deletion, string> = {
  'pruned': 'pruned on the next sync',
  'operator-prune': 'prune off: stays until an operator syncs with prune',
  'by-hand': 'not managed by Argo CD: stays until an admin deletes it',
};

/** Who gains or loses the right to decrypt a cluster's secrets: public keys, shown in full. */
function recipientBlock(r: DiffReport): string {
  if (r.recipients.length === 0) return '';
  const keys = (rs: readonly string[]) => rs.map((k) => `\`${k}\``).join(', ');
  const lines = r.recipients.map((c) => `> - \`${c.cluster}\`: ${[c.added.length ? `gains ${keys(c.added)}` : '', c.removed.length ? `loses ${keys(c.removed)}` : ''].filter(Boolean).join('; ')}\n`);
  return `> [!IMPORTANT]\n> **Decrypt rights change**: the age recipients (public keys) of these clusters' secrets, from \`.sops.yaml\`.\n>\n${lines.join('')}\n`;
}

/** The OpenTofu stacks that differ: not synced by Argo CD, applied by hand, so a destroy is called out. */
function stackBlock(r: DiffReport): string {
  if (!r.stacks?.length) return '';
  const destroys = r.stacks.some((st) => st.resources.some((x) => x.onApply === 'destroyed'));
  const sections = r.stacks.map((st) => `\n\`infra/${st.cluster}/\`${st.status === 'changed' ? '' : ` (${st.status === 'added' ? 'new stack' : '**stack removed**'})`}:\n\n\`\`\`diff\n${stackLines(st).join('\n')}\n\`\`\`\n`);
  const head = destroys
    ? '> [!WARNING]\n> **OpenTofu stacks change, and the next `tofu apply` destroys resources** (marked `-` below).\n'
    : '**OpenTofu stacks change** (`infra/`, applied with `tofu apply`, not by Argo CD):\n';
  return `${head}${sections.join('')}\n`;
}

function summaryTable(r: DiffReport): Line[] {
  // Only stacks changed: no cluster row to show.
  if (!r.clusters.length) return [];
  const rows = r.clusters.map((c) => {
    const status = [c.prod ? 'prod' : '', c.status === 'added' ? 'new cluster' : c.status === 'removed' ? '**cluster removed**' : '']
      .filter(Boolean).join(', ');
    const removed = c.removed ? `**${c.removed}** ⚠️` : '0';
    return { text: `| ${c.prod ? `**\`${c.name}\`**` : `\`${c.name}\``} | ${status} | ${c.added} | ${c.changed} | ${removed} |\n`, count: 1 };
  });
  return [{ text: '| Cluster | | Added | Changed | Removed |\n', count: 0 }, { text: '| :-- | :-- | --: | --: | --: |\n', count: 0 }, ...rows];
}

function footer(r: DiffReport): string {
  const notes = [];
  if (r.unchangedClusters.length) notes.push(`${r.unchangedClusters.length} cluster${r.unchangedClusters.length === 1 ? '' : 's'} unchanged.`);
  if (r.summary.moved) notes.push(`${r.summary.moved} object${r.summary.moved === 1 ? '' : 's'} only moved to another file (not a change).`);
  return notes.length ? `\n_${notes.join(' ')}_\n` : '';
}

function statusNote(c: ClusterDiff): string {
  return c.status === 'added' ? ' — new cluster' : c.status === 'removed' ? ' — **cluster removed**: nothing syncs its folder any more, so Argo CD deletes nothing' : '';
}


function cutNote(r: DiffReport, bodies: number, objects: number): string {
  const what = [bodies && `${bodies} object diff${bodies === 1 ? '' : 's'}`, objects && `${objects} further object${objects === 1 ? '' : 's'}`]
    .filter(Boolean).join(' and ');
  return `\n> [!NOTE]\n> ✂️ **Details cut** to fit GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit: ` +
    `${what} not shown. The summary above is complete. For everything, run ` +
    `\`npm run diff -- --base ${r.base.label} --head ${r.head.label}\` (or add \`--format json\`).\n`;
}
