// The one list of conformance cases that cannot pass in principle (Go-only types, randomness,
// the network), by corpus and case id, each with its reason. Suites register these as
// `test.skip` with the reason in the test name, so the summary shows them; nothing is dropped
// silently. Add entries for your corpus; do not remove others'.
export const CONFORMANCE_SKIPS: Record<string, Record<string, string>> = {
  'helm-engine': {
    TestRenderWithDNS: 'network: EnableDNS makes getHostByName resolve helm.sh, and the case expects a non-empty IP',
  },
};

/** The reason a case is skipped, or undefined. */
export function skipReason(corpus: string, caseId: string): string | undefined {
  return CONFORMANCE_SKIPS[corpus]?.[caseId];
}
