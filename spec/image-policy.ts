import { z } from 'zod';
import { isPublicKeyPem } from '../primitives/pem.js';

// The `imagePolicy` block of a cluster spec: which images must be signed, by whom, and what
// happens to an image that fails. Rendered by charts/kyverno.ts into Kyverno policies.

const imagePattern = z.string().regex(/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._\-*]+)*\/?\*?$/, 'an image reference pattern such as ghcr.io/soft-yt/*');
/** An exemption may name a tag pattern too: `ghcr.io/org/tool:*`. */
const exemptionPattern = z.string().regex(/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._\-*]+)+(:[A-Za-z0-9._\-*]+)?(@sha256:[a-f0-9*]+)?$/, 'an image glob such as ghcr.io/org/tool:* (registry and repository; `*` matches anything)');
const httpsUrl = z.string().regex(/^https:\/\/[^\s/]+(\/[^\s]*)?$/, 'an https:// URL');

export const imagePolicySchema = z.strictObject({
  /** Images that must carry a cosign signature (Kyverno globs; `*` matches `/` too). */
  signedImages: z.array(imagePattern).min(1),
  /** `Enforce` blocks a failing image (Kyverno `Deny`), `Audit` only reports it. Defaults by environment. */
  action: z.enum(['Enforce', 'Audit']),
  /** Who signs the images: the CI's keyless identity, or a cosign key pair. */
  signer: z.strictObject({
    /**
     * `keyless`: Fulcio certificates for the CI workflow's OIDC identity, logged in Rekor.
     * `keyed`: a cosign key pair; the public key is in `publicKey`.
     */
    mode: z.enum(['keyless', 'keyed']),
    /** The CI identity, when `mode` is `keyless`. */
    keyless: z.strictObject({
      /** OIDC issuer of the CI's token, e.g. https://token.actions.githubusercontent.com. */
      issuer: z.string(),
      /** Exact certificate subject: the workflow's URL at a ref. Give this or `subjectRegExp`. */
      subject: z.string().optional(),
      /** Regular expression over the subject (e.g. any release workflow of the org). */
      subjectRegExp: z.string().optional(),
    }).optional(),
    /** PEM public key (`cosign.pub`), when `mode` is `keyed`. */
    publicKey: z.string().optional(),
    /** Rekor transparency log the signatures are checked against. @default https://rekor.sigstore.dev */
    rekorURL: httpsUrl,
    /**
     * Keyed signatures made offline without a transparency log (on-prem without Rekor access):
     * skip the Rekor and SCT checks. Not allowed with `keyless`, whose certificates need the log.
     * @default false
     */
    ignoreTlog: z.boolean(),
  }),
  /** Also require a CycloneDX SBOM attestation (Syft → `cosign attest --type cyclonedx`) from the same signer. @default false */
  sbom: z.boolean(),
  /**
   * Signed images must be referenced by digest (Kyverno `verifyDigest`). Kyverno never rewrites
   * tags to digests here (`mutateDigest: false`): that would make Argo CD show drift. @default false
   */
  requireDigest: z.boolean(),
  /** Images this cluster runs without our signature, each with the reviewed reason (catalog/policy.ts holds the platform-wide ones). @default [] */
  exemptions: z.array(z.strictObject({ image: exemptionPattern, reason: z.string().regex(/^\S[\s\S]{8,}\S$/, 'a reason a reviewer can check (at least 10 characters)') })),
});

export type ImagePolicy = z.infer<typeof imagePolicySchema>;

/** Cross-field rules of the image policy; `add(path, message)` records a problem. */
export function checkImagePolicy(p: ImagePolicy, add: (path: string, message: string) => void): void {
  const at = (f: string) => `imagePolicy.${f}`;
  const s = p.signer;
  if (s.mode === 'keyless') {
    const k = s.keyless;
    if (!k || !k.issuer) {
      add(at('signer.keyless.issuer'), `missing; keyless verification needs the OIDC issuer of the CI that signs (e.g. "https://token.actions.githubusercontent.com")`);
    } else if (!/^https:\/\/[^\s]+$/.test(k.issuer)) {
      add(at('signer.keyless.issuer'), `received ${JSON.stringify(k.issuer)}; expected the OIDC issuer URL of the CI that signs (https://..., e.g. "https://token.actions.githubusercontent.com")`);
    }
    if (!k?.subject && !k?.subjectRegExp) {
      add(at('signer.keyless'), 'missing "subject" or "subjectRegExp"; keyless verification needs the identity of the signing workflow (e.g. subject "https://github.com/soft-yt/app/.github/workflows/release.yml@refs/heads/main")');
    } else if (k.subject && k.subjectRegExp) {
      add(at('signer.keyless'), 'both "subject" and "subjectRegExp" given; keep one');
    } else if (k.subjectRegExp) {
      try { new RegExp(k.subjectRegExp); } catch (e) {
        add(at('signer.keyless.subjectRegExp'), `received ${JSON.stringify(k.subjectRegExp)}; not a regular expression (${(e as Error).message})`);
      }
    }
    if (s.ignoreTlog) add(at('signer.ignoreTlog'), 'received true with mode "keyless"; keyless certificates are only trusted through the transparency log (ignoreTlog is for keyed signatures made offline)');
  } else if (!s.publicKey) {
    add(at('signer.publicKey'), 'missing; mode "keyed" needs the cosign public key (the PEM text of cosign.pub: -----BEGIN PUBLIC KEY----- ...)');
  } else if (!isPublicKeyPem(s.publicKey)) {
    add(at('signer.publicKey'), `received ${JSON.stringify(s.publicKey.length > 40 ? `${s.publicKey.slice(0, 37)}...` : s.publicKey)}; expected a PEM public key (-----BEGIN PUBLIC KEY-----, base64 lines, -----END PUBLIC KEY-----) as in cosign.pub`);
  }
  p.exemptions.forEach((e, i) => {
    const inside = p.signedImages.find((g) => globCovers(g, e.image));
    if (inside) {
      add(at(`exemptions[${i}].image`), `received ${JSON.stringify(e.image)}, inside signedImages pattern ${JSON.stringify(inside)}; an image the policy verifies cannot be exempt (sign it, or narrow signedImages)`);
    }
  });
}

/** Whether the signed-images glob matches the exemption's text (its own `*` taken literally): then the exemption lies inside it. */
export function globCovers(signed: string, exemption: string): boolean {
  const re = new RegExp(`^${signed.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}([:@].*)?$`);
  return re.test(exemption);
}
