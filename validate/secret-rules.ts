import type { Manifest } from '../primitives/manifests.js';
import { SOPS_SECRET_KIND, plaintextTemplateValues } from '../secret-store/sops-secret.js';
import type { FleetRule } from './rule-types.js';
import { finding } from './rule-helpers.js';

// The guard: no secret payload in clear reaches a rendered tree. The v1 Secret is the
// `no-plaintext-secret` rule's; this one covers what the secrets pipeline writes.


const isSopsSecret = (m: Manifest) => m.object.kind === SOPS_SECRET_KIND && String(m.object.apiVersion ?? '').startsWith('isindir.github.com/');

/**
 * Every SopsSecret is SOPS-encrypted with every template value ciphertext (a decrypted one would
 * put the plaintext in Git and in Argo CD), and every `*.enc.yaml` file holds SOPS-encrypted objects.
 */
export const encryptedSecretPayloads: FleetRule = ({ manifests }) => manifests.flatMap((m) => {
  if (isSopsSecret(m)) {
    if (!m.object.sops) {
      return [finding(m, '', 'a SopsSecret without sops metadata: its templates are plaintext; never commit them decrypted (secrets/<cluster>/<namespace>/<name>.enc.yaml, `infra-synth secrets add`)')];
    }
    return plaintextTemplateValues(m.object).map((p) => finding(m, p, 'value is not SOPS-encrypted (expected ENC[AES256_GCM,...])'));
  }
  if (m.file.endsWith('.enc.yaml') && !m.object.sops) {
    return [finding(m, '', 'the file is named *.enc.yaml but is not SOPS-encrypted')];
  }
  return [];
});
