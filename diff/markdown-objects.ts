// The Markdown pieces every section of the PR comment uses: the line and the patch of one object,
// and lines joined within a character budget.
import { DELETION_TEXT, type ComponentDiff, type FieldChange, type ObjectDiff } from './model.js';

/** One huge object (a dashboard, a CRD) must not use up the comment on its own. */
const MAX_PATCH_LINES = { changed: 300, added: 80 } as const;
const MAX_FIELDS_LISTED = 12;

/** The line naming one object, its fields and which secret keys changed. */
export function objectLine(o: ObjectDiff): string {
  const id = `\`${o.ref}\` (\`${o.apiVersion}\`)`;
  // A chart's objects are in no file of the tree.
  if (o.change === 'removed') return `- ⚠️ **removed** ${id}: ${DELETION_TEXT[o.deletion ?? 'by-hand'].one}${o.files.base ? ` (was in \`${o.files.base}\`)` : ''}\n`;
  if (o.change === 'added') return `- **added** ${id}${o.files.head ? ` in \`${o.files.head}\`` : ''}\n`;
  const plain = o.fields.filter((f) => !f.secret);
  const secret = o.fields.filter((f) => f.secret);
  let s = `- **changed** ${id}`;
  if (plain.length) s += `: ${listFields(plain)}`;
  if (secret.length) s += `\n  - 🔒 secret values changed, not shown: ${listFields(secret, true)}`;
  return s + '\n';
}

function listFields(fields: readonly FieldChange[], withChange = false): string {
  const shown = fields.slice(0, MAX_FIELDS_LISTED).map((f) => `\`${f.path}\`${withChange || f.change !== 'changed' ? ` (${f.change})` : ''}`);
  const more = fields.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

export function objectBody(o: ObjectDiff): string {
  if (o.change === 'removed' || !o.patch) return '';
  const cap = MAX_PATCH_LINES[o.change];
  let lines = o.patch.trimEnd().split('\n');
  let cut = '';
  if (lines.length > cap) {
    cut = `\n  _… ${lines.length - cap} more lines not shown; run the diff locally for all of it._\n`;
    lines = lines.slice(0, cap);
  }
  const text = lines.join('\n');
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return `\n  ${fence}diff\n${indent(text)}\n  ${fence}\n${cut}\n`;
}

/** Indented so the block belongs to its list item. */
function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}

function longestBacktickRun(s: string): number {
  let best = 0;
  for (const m of s.matchAll(/`+/g)) best = Math.max(best, m[0].length);
  return best;
}

/** `2 added, 1 changed` (zero counts left out). */
export function countsText(c: ComponentDiff): string {
  return [c.added && `${c.added} added`, c.changed && `${c.changed} changed`, c.removed && `${c.removed} removed`].filter(Boolean).join(', ');
}

/** A line of the summary, and how many things (objects, clusters) it names. */
export interface Line { readonly text: string; readonly count: number }

/** Joins lines while they fit in `budget` characters; the rest becomes one `more(n)` line. */
export function fitLines(lines: readonly Line[], budget: number, more: (n: number) => string): string {
  const total = lines.map((l) => l.text).join('');
  if (total.length <= budget) return total;
  const all = lines.reduce((n, l) => n + l.count, 0);
  const worst = more(all).length;
  let out = '';
  let shown = 0;
  for (const l of lines) {
    if (out.length + l.text.length + worst > budget) break;
    out += l.text;
    shown += l.count;
  }
  return out + more(all - shown);
}

export function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
