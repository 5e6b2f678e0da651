// From rendered template text to the documents asserts look at (test_job.go parseYamlFile /
// parseTextFile), and the choice of documents an assert applies to (documentIndex,
// documentSelector: assertion.go, valueutils/documentselector.go).
import { deepEqual } from './asserts.js';
import { getValuesOfPath } from './paths.js';
import type { DocumentSelector } from './suite.js';
import { decodeAll, isYamlMap, type YamlValue } from './yamlv3.js';

// releaseutil's manifest separator; the plugin rewrites it to a plain `---` line before decoding.
const SPLITTER = /(?:^|\s*\n)---\s*/g;

/** A rendered YAML template's documents: empty documents dropped; a non-mapping one is an error. */
export function parseYamlDocuments(rendered: string): YamlValue[] {
  const docs = decodeAll(rendered.replace(SPLITTER, '\n---\n'));
  const out: YamlValue[] = [];
  for (const d of docs) {
    if (d === null) continue;
    if (!isYamlMap(d)) {
      const kind = Array.isArray(d) ? '!!seq' : typeof d === 'string' ? '!!str' : typeof d === 'bigint' ? '!!int' : typeof d === 'number' ? '!!float' : '!!bool';
      throw new Error(`yaml: unmarshal errors:\n  cannot unmarshal ${kind} into map[string]interface {}`);
    }
    if (Object.keys(d).length > 0) out.push(d);
  }
  return out;
}

/** A text template (NOTES.txt) is one document whose `raw` is the text. */
export function parseTextDocument(rendered: string): YamlValue[] {
  return [{ raw: rendered }];
}

export type DocumentsByTemplate = Map<string, YamlValue[] | undefined>;

/** The documents of each template that an assert applies to; an Error says why none can be chosen. */
export function selectDocuments(
  docs: DocumentsByTemplate,
  documentIndex: number,
  selector: DocumentSelector | undefined,
): DocumentsByTemplate | Error {
  if (selector && selector.path !== '') return selectBySelector(docs, selector);
  if (documentIndex !== -1) {
    const out: DocumentsByTemplate = new Map();
    for (const [template, manifests] of docs) {
      const list = manifests ?? [];
      if (documentIndex >= list.length) return new Error(`document index ${documentIndex} is out of range`);
      out.set(template, [list[documentIndex]]);
    }
    return out;
  }
  return docs;
}

function matchesSelector(doc: YamlValue, selector: DocumentSelector): boolean {
  const values = getValuesOfPath(doc, selector.path);
  return values.some((v) => selector.value === undefined || selector.value === null || deepEqual(selector.value, v));
}

function selectBySelector(docs: DocumentsByTemplate, selector: DocumentSelector): DocumentsByTemplate | Error {
  const out: DocumentsByTemplate = new Map();
  let total = 0;
  for (const [template, manifests] of docs) {
    const selected: YamlValue[] = [];
    for (const doc of manifests ?? []) {
      let match: boolean;
      try {
        match = matchesSelector(doc, selector);
      } catch (e) {
        return e as Error;
      }
      if (!match) continue;
      if (!selector.matchMany && selected.length > 0) return new Error('multiple indexes found');
      selected.push(doc);
    }
    if (!selector.skipEmptyTemplates && selected.length === 0) return new Error('document not found');
    total += selected.length;
    if (!selector.matchMany && total > 1) return new Error('multiple indexes found');
    if (selected.length > 0 || !selector.skipEmptyTemplates) out.set(template, selected);
  }
  return out;
}
