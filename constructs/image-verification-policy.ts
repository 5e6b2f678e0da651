import { Construct } from 'constructs';
import { EXEMPTIONS_ANNOTATION } from '../primitives/annotations.js';
import { CYCLONEDX_PREDICATE, PUBLIC_REKOR, type ImageExemption } from '../catalog/policy.js';
import {
  ImageValidatingPolicy, ImageValidatingPolicySpecFailurePolicy, ImageValidatingPolicySpecValidationActions, type ImageValidatingPolicySpec,
  type ImageValidatingPolicySpecAttestorsCosign,
} from '../imports/policies.kyverno.io.js';
import { isPublicKeyPem } from '../primitives/pem.js';
import {
  POD_CONTROLLERS, celString, ephemeralContainerMatchConstraints, ephemeralContainersPolicyName, podMatchConstraints,
  requireNamespaces, requireTimeout, validationActions, type PolicyAction,
} from './kyverno-match.js';
import { clearNamespace } from './cluster-issuer.js';
import { invalidProp, requireDnsSubdomain } from './validation.js';

export { EXEMPTIONS_ANNOTATION };

/** Keyless signing: a Fulcio certificate for the CI's OIDC identity, logged in Rekor. */
export interface KeylessSigner {
  /** OIDC issuer of the CI token, e.g. https://token.actions.githubusercontent.com. */
  readonly issuer: string;
  /** Exact certificate subject (the workflow URL at a ref). One of `subject`, `subjectRegExp` is required. */
  readonly subject?: string;
  /** Regular expression over the certificate subject. */
  readonly subjectRegExp?: string;
}

/** Who signs the images: keyless (CI identity) or keyed (a cosign public key). */
export interface ImageSigner {
  /** Keyless identity. Exactly one of `keyless` and `publicKey`. */
  readonly keyless?: KeylessSigner;
  /** PEM public key (cosign.pub). Exactly one of `keyless` and `publicKey`. */
  readonly publicKey?: string;
  /** Rekor transparency log. @default https://rekor.sigstore.dev */
  readonly rekorURL?: string;
  /** Keyed only: signatures made without the transparency log; skip the Rekor and SCT checks. @default false */
  readonly ignoreTlog?: boolean;
}

export interface ImageVerificationPolicyProps {
  /** Policy name (cluster-scoped). @default - the construct id */
  readonly name?: string;
  /** Image globs that must be signed (Kyverno globs: `*` matches `/` too). At least one. */
  readonly images: readonly string[];
  readonly signer: ImageSigner;
  /** `Enforce`: Deny, and fail closed when Kyverno cannot decide. `Audit`: report only, fail open. */
  readonly action: PolicyAction;
  /** Also require a CycloneDX SBOM attestation (https://cyclonedx.org/bom) from the same signer. @default false */
  readonly requireSbom?: boolean;
  /** Signed images must be referenced by digest (`verifyDigest`). Digests are never mutated in. @default false */
  readonly requireDigest?: boolean;
  /** Namespaces the policy skips. @default - none */
  readonly excludeNamespaces?: readonly string[];
  /** Webhook timeout in seconds (signature checks call the registry and Rekor). @default 30 */
  readonly timeoutSeconds?: number;
  /**
   * Images the cluster runs without a signature of ours, on review. Recorded on the policy (an
   * annotation) for the coverage rule; Kyverno ignores them, as they match no `images` glob.
   * @default - none
   */
  readonly exemptions?: readonly (ImageExemption & { readonly source: string })[];
}

const ATTESTOR = 'signer';
const SBOM = 'sbom';
const IMAGE_GLOB = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._\-*]+)*\/?\*?$/;

/**
 * A Kyverno `ImageValidatingPolicy` (policies.kyverno.io/v1): every image matching `images` in a
 * Pod (and in pod controllers, through autogen) must carry a cosign signature of the signer and,
 * if asked, a CycloneDX attestation. `mutateDigest` is always false: rewriting tags to digests in
 * the cluster would make every Argo CD Application OutOfSync. A second policy,
 * `<name>-ephemeral-containers`, checks `kubectl debug` containers the same way (see
 * ephemeralContainerMatchConstraints).
 */
export class ImageVerificationPolicy extends Construct {
  readonly name: string;
  /** The policy on `kubectl debug` requests. */
  readonly ephemeralContainersName: string;
  readonly images: readonly string[];

  constructor(scope: Construct, id: string, props: ImageVerificationPolicyProps) {
    super(scope, id);
    this.name = props.name ?? id;
    requireDnsSubdomain(this, 'name', this.name);
    this.ephemeralContainersName = ephemeralContainersPolicyName(this.name);
    requireDnsSubdomain(this, 'name', this.ephemeralContainersName);
    if (!props.images.length) invalidProp(this, 'images', props.images, 'at least one image glob such as ghcr.io/soft-yt/*');
    props.images.forEach((g, i) => {
      if (!IMAGE_GLOB.test(g)) invalidProp(this, `images[${i}]`, g, 'an image glob such as ghcr.io/soft-yt/*');
    });
    this.images = [...props.images];
    const excluded = props.excludeNamespaces ?? [];
    requireNamespaces(this, 'excludeNamespaces', excluded);
    const timeout = props.timeoutSeconds ?? 30;
    requireTimeout(this, timeout);
    const cosign = this.cosignAttestor(props.signer);

    // Kyverno's verify functions return 0 for an image outside matchImageReferences, so each list
    // is narrowed to the signed images first (the same globs, as one RE2 expression).
    const signed = `image.matches(${celString(globsToRegex(this.images))})`;
    const ofKind = (kind: string, check: (image: string) => string) =>
      `!('${kind}' in images) || images.${kind}.filter(image, ${signed}).all(image, ${check('image')})`;
    const forEachImage = (check: (image: string) => string, kinds = ['containers', 'initContainers', 'ephemeralContainers']) => kinds.map((kind) =>
      (kind === 'containers' ? `images.containers.filter(image, ${signed}).all(image, ${check('image')})` : ofKind(kind, check)));
    const who = props.signer.keyless ? `the CI identity ${props.signer.keyless.subject ?? props.signer.keyless.subjectRegExp}` : 'the platform cosign key';
    const validationsOf = (kinds?: string[]) => [
      ...forEachImage((img) => `verifyImageSignatures(${img}, [attestors.${ATTESTOR}]) > 0`, kinds)
        .map((expression) => ({ expression, message: `images matching ${this.images.join(', ')} must be signed by ${who}` })),
      ...(props.requireSbom
        ? forEachImage((img) => `verifyAttestationSignatures(${img}, attestations.${SBOM}, [attestors.${ATTESTOR}]) > 0`, kinds)
          .map((expression) => ({ expression, message: `images matching ${this.images.join(', ')} must carry a CycloneDX SBOM attestation signed by ${who}` }))
        : []),
    ];

    const enforce = props.action === 'Enforce';
    const exemptions = props.exemptions ?? [];
    const policy = (id: string, name: string, spec: Pick<ImageValidatingPolicySpec, 'matchConstraints' | 'autogen' | 'evaluation' | 'validations'>) => new ImageValidatingPolicy(this, id, {
      metadata: {
        name,
        ...(exemptions.length ? { annotations: { [EXEMPTIONS_ANNOTATION]: JSON.stringify(exemptions.map((e) => ({ image: e.image, reason: e.reason, source: e.source }))) } } : {}),
      },
      spec: {
        validationActions: validationActions(props.action) as ImageValidatingPolicySpecValidationActions[],
        // Enforce fails closed: an image Kyverno could not check (registry or Rekor down) is not let in.
        failurePolicy: enforce ? ImageValidatingPolicySpecFailurePolicy.FAIL : ImageValidatingPolicySpecFailurePolicy.IGNORE,
        webhookConfiguration: { timeoutSeconds: timeout },
        matchConstraints: spec.matchConstraints,
        ...(spec.autogen ? { autogen: spec.autogen } : {}),
        ...(spec.evaluation ? { evaluation: spec.evaluation } : {}),
        matchImageReferences: this.images.map((glob) => ({ glob })),
        attestors: [{ name: ATTESTOR, cosign }],
        ...(props.requireSbom ? { attestations: [{ name: SBOM, intoto: { type: CYCLONEDX_PREDICATE } }] } : {}),
        validationConfigurations: { mutateDigest: false, verifyDigest: props.requireDigest ?? false, required: true },
        validations: spec.validations,
      },
    });
    const pods = policy('Resource', this.name, {
      matchConstraints: podMatchConstraints(excluded), autogen: { podControllers: { controllers: POD_CONTROLLERS } }, validations: validationsOf(),
    });
    // `kubectl debug`: only the ephemeral containers, the part such a request changes. No
    // background scan: the policy is about a request, and the pods' policy reports running pods.
    const debug = policy('EphemeralContainers', this.ephemeralContainersName, {
      matchConstraints: ephemeralContainerMatchConstraints(excluded), evaluation: { background: { enabled: false } }, validations: validationsOf(['ephemeralContainers']),
    });
    // Cluster-scoped: no namespace, whatever the chart's.
    clearNamespace(pods);
    clearNamespace(debug);
  }

  private cosignAttestor(signer: ImageSigner): ImageValidatingPolicySpecAttestorsCosign {
    const rekor = signer.rekorURL ?? PUBLIC_REKOR;
    if (!/^https:\/\/\S+$/.test(rekor)) invalidProp(this, 'signer.rekorURL', rekor, 'an https:// URL of a Rekor transparency log');
    if (signer.keyless && signer.publicKey !== undefined) {
      invalidProp(this, 'signer', '{ keyless, publicKey }', 'exactly one of "keyless" (CI identity) and "publicKey" (cosign key)');
    }
    if (signer.keyless) {
      const k = signer.keyless;
      if (!k.issuer) invalidProp(this, 'signer.keyless.issuer', k.issuer, 'the OIDC issuer URL of the CI that signs (e.g. https://token.actions.githubusercontent.com)');
      if (!k.subject && !k.subjectRegExp) invalidProp(this, 'signer.keyless', k, 'a "subject" or a "subjectRegExp" naming the signing workflow');
      if (signer.ignoreTlog) invalidProp(this, 'signer.ignoreTlog', true, 'false for keyless signatures (their certificates are trusted through the log)');
      return {
        keyless: { identities: [{ issuer: k.issuer, ...(k.subject ? { subject: k.subject } : { subjectRegExp: k.subjectRegExp }) }] },
        ctlog: { url: rekor },
      };
    }
    if (signer.publicKey === undefined) invalidProp(this, 'signer', signer, 'one of "keyless" (CI identity) and "publicKey" (cosign key)');
    if (!isPublicKeyPem(signer.publicKey)) {
      invalidProp(this, 'signer.publicKey', signer.publicKey.slice(0, 40), 'a PEM public key (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----) as in cosign.pub');
    }
    return {
      key: { data: signer.publicKey },
      ctlog: signer.ignoreTlog ? { insecureIgnoreTlog: true, insecureIgnoreSct: true } : { url: rekor },
    };
  }
}

/** Kyverno image globs (`*` any run of characters, `?` one) as one anchored RE2 alternation. */
export function globsToRegex(globs: readonly string[]): string {
  const one = (g: string) => g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return `^(${globs.map(one).join('|')})$`;
}
