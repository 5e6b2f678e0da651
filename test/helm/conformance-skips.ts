// The one list of conformance cases that cannot pass in principle (Go-only types, randomness,
// the network), by corpus and case id, each with its reason. Suites register these as
// `test.skip` with the reason in the test name, so the summary shows them; nothing is dropped
// silently. Add entries for your corpus; do not remove others'.
export const CONFORMANCE_SKIPS: Record<string, Record<string, string>> = {
  'go-exec': {
    'missingKey/missingkey=zero': 'Go-only type: the data is a map[string]int, whose zero element prints "0"; the value model has only map[string]interface{} (zero element nil, printed <no value>)',
  },
  'helm-template': {
    '#36 install with verification, missing provenance':
      'helm install --verify: PGP provenance verification with testdata/helm-test-key.pub, which the corpus does not carry; infra-synth has no --verify',
    '#37 install with verification, directory instead of file':
      'helm install --verify: PGP provenance verification with testdata/helm-test-key.pub, which the corpus does not carry; infra-synth has no --verify',
    '#38 install with verification, valid':
      'helm install --verify: PGP provenance verification with testdata/helm-test-key.pub, which the corpus does not carry; infra-synth has no --verify',
    '#55 basic install with credentials': 'network: needs the upstream test HTTP chart repository server (srv.URL()) with basic auth',
    '#56 basic install with credentials': 'network: needs the upstream test HTTP chart repository server (srv.URL()) with basic auth',
    '#57 basic install with credentials and no repo': 'network: needs the upstream test HTTP chart repository server (srv.URL()) with basic auth',
  },
  'helm-engine': {
    TestRenderWithDNS: 'network: EnableDNS makes getHostByName resolve helm.sh, and the case expects a non-empty IP',
  },
};

/** The reason a case is skipped, or undefined. */
export function skipReason(corpus: string, caseId: string): string | undefined {
  return CONFORMANCE_SKIPS[corpus]?.[caseId];
}
