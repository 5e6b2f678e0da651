// The OpenTelemetry collector chart's committed examples: upstream renders each example with
// `helm template example <chart> --namespace default --values <file> --kube-version 1.29
// --output-dir`, moves the files out of <chart>/templates/, trims whitespace before document
// separators and at the end, and checks them with `diff -r -I checksum/config -I helm\.sh/chart`.
// This suite does the same in-process and compares file by file, lines naming those two keys
// excepted (they may be stale in the committed files).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChart } from '../../../helm/index.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';
import { skipReason } from '../conformance-skips.js';

const CORPUS = 'helm/conformance/rendered/opentelemetry-collector-0.170.0';

interface Case {
  example: string;
  valuesFiles: string[];
  rendered: string[];
  args: { releaseName: string; chart: string; namespace: string; kubeVersion: string };
}

/** What `helm template --output-dir` writes: one file per template, each document headed by its source. */
function outputDirFiles(c: Case, valuesFile: string): Map<string, string> {
  const result = renderChart(referencePath(`helm/${c.args.chart}`), {
    releaseName: c.args.releaseName,
    namespace: c.args.namespace,
    kubeVersion: c.args.kubeVersion,
    valuesFiles: [referencePath(`${CORPUS}/${valuesFile}`)],
  });
  const files = new Map<string, string>();
  for (const m of [...result.manifests, ...result.hooks]) {
    files.set(m.source, `${files.get(m.source) ?? ''}---\n# Source: ${m.source}\n${m.content}\n`);
  }
  return files;
}

/** The Makefile's perl post-processing: no whitespace before a separator, one newline at the end. */
function trimLikeUpstream(text: string): string {
  return text.replace(/[ \t\n]+(?=\n---\n)/g, '').replace(/[ \t\n]+$/, '\n');
}

const IGNORED = /checksum\/config|helm\.sh\/chart/;

function comparable(text: string): string {
  return text.split('\n').filter((l) => !IGNORED.test(l)).join('\n');
}

describeWithReferenceData('OpenTelemetry collector examples render as committed upstream', [CORPUS, 'helm/charts'], () => {
  const { cases } = JSON.parse(readFileSync(referencePath(`${CORPUS}/cases.json`), 'utf8')) as { cases: Case[] };
  let passed = 0;
  afterAll(() => {
    process.stderr.write(`opentelemetry-collector examples: ${passed}/${cases.length} match\n`);
  });
  for (const c of cases) {
    const reason = skipReason('otel-collector', c.example);
    if (reason) {
      test.skip(`${c.example} (skipped: ${reason})`, () => undefined);
      continue;
    }
    test(c.example, () => {
      // Several values files: one run each into the same folder, later runs overwriting files.
      const got = new Map<string, string>();
      for (const v of c.valuesFiles) {
        for (const [source, text] of outputDirFiles(c, v)) {
          const file = `examples/${c.example}/rendered/${source.replace(/^[^/]+\/templates\//, '')}`;
          got.set(file, trimLikeUpstream(text));
        }
      }
      expect([...got.keys()].sort()).toEqual([...c.rendered].sort());
      for (const file of c.rendered) {
        const expected = readFileSync(join(referencePath(CORPUS), file), 'utf8');
        expect({ file, text: comparable(got.get(file) ?? '') }).toEqual({ file, text: comparable(expected) });
      }
      passed++;
    });
  }
});
