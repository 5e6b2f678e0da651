// The plugin's JUnit report (`-t JUnit -o file`, formatter/junit_report_xml.go): one <testsuite>
// per suite with a <testcase> per test; a failed test carries its assert messages as a
// <failure>, a test that could not run (values, schema, render) an <error>.
import { hostname } from 'node:os';
import type { SuiteResult, TestResult } from './runner.js';

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;')
    .replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
}

function text(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;')
    .replace(/\t/g, '&#x9;').replace(/\r/g, '&#xD;');
}

const seconds = (ms = 0) => (ms / 1000).toFixed(3);

/** TestJobResult.StringifyToXmlAttribute: the failure text on one line, without tabs. */
function stringify(t: TestResult): string {
  let out = '';
  if (t.skipped) out += `SKIPPED '${t.name}' \n`;
  if (t.execError !== undefined) out += `${t.execError}\n`;
  for (const a of t.asserts) {
    out += `\t\t - asserts[${a.index}]${a.not ? ' NOT' : ''} \`${a.type}\` fail \n`;
    for (const info of a.failInfo) out += `\t\t\t ${info} \n`;
  }
  return out.replace(/\n/g, ',').replace(/\t/g, '');
}

/** Classname: the suite name after its last `/` (determineClassnameFromDisplayName). */
function classname(suiteName: string): string {
  return suiteName.slice(suiteName.lastIndexOf('/') + 1);
}

export function formatJUnit(suites: readonly SuiteResult[], now = new Date()): string {
  const timestamp = now.toISOString().slice(0, 19);
  const host = hostname();
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
  suites.forEach((s, id) => {
    const failures = s.tests.filter((t) => !t.skipped && !t.passed && t.execError === undefined).length;
    const errors = s.tests.filter((t) => !t.skipped && !t.passed && t.execError !== undefined).length;
    const time = seconds(s.tests.reduce((n, t) => n + (t.durationMs ?? 0), 0));
    lines.push(`\t<testsuite id="${id}" tests="${s.tests.length}" failures="${failures}" errors="${errors}" package="" time="${time}" name="${attr(s.name)}" timestamp="${timestamp}" hostname="${attr(host)}">`);
    lines.push('\t\t<properties>', '\t\t\t<property name="helm-unittest.version" value="1.6"></property>', '\t\t</properties>');
    for (const t of s.tests) {
      lines.push(`\t\t<testcase classname="${attr(classname(s.name))}" name="${attr(t.name)}" time="${seconds(t.durationMs)}">`);
      if (t.skipped) lines.push(`\t\t\t<skipped message="${attr(stringify(t))}"></skipped>`);
      else if (!t.passed && t.execError !== undefined) lines.push(`\t\t\t<error message="Error" type="">${text(t.execError)}</error>`);
      else if (!t.passed) lines.push(`\t\t\t<failure message="Failed" type="">${text(stringify(t))}</failure>`);
      lines.push('\t\t</testcase>');
    }
    lines.push('\t</testsuite>');
  });
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
