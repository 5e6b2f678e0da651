import { Construct } from 'constructs';
import {
  Certificate as CertificateResource,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
  CertificateSpecUsages,
} from '../imports/cert-manager.io.js';
import type { IssuerRef } from './cluster-issuer.js';
import { invalidProp, requireDnsLabel, requireDnsSubdomain } from './validation.js';

export type KeyAlgorithm = 'RSA' | 'ECDSA' | 'Ed25519';
export type KeyUsage = `${CertificateSpecUsages}`;

export interface CertificateProps {
  /** The Certificate's name. @default - the construct id */
  readonly name?: string;
  /**
   * Namespace of the Certificate and of the Secret it writes: where the consumer reads the Secret
   * (the Istio gateway's namespace, the IngressRoute's namespace, ...). @default - the chart's namespace
   */
  readonly namespace?: string;
  /** Secret (type kubernetes.io/tls) cert-manager writes. @default - `<name>-tls` */
  readonly secretName?: string;
  /** Issuer that signs it: a ClusterIssuer construct or an explicit ref. */
  readonly issuer: IssuerRef;
  /** Subject alternative names. @default - none (then a CA certificate with a commonName) */
  readonly dnsNames?: readonly string[];
  /** @default - none */
  readonly commonName?: string;
  /** A CA certificate, able to sign others. @default false */
  readonly isCA?: boolean;
  /** @default RSA (2048 bits) */
  readonly keyAlgorithm?: KeyAlgorithm;
  /** RSA: 2048, 3072, 4096; ECDSA: 256, 384, 521. @default - cert-manager's default for the algorithm */
  readonly keySize?: number;
  /** Validity, a Go duration such as 2160h. @default - the issuer's default (90 days) */
  readonly duration?: string;
  /** Renew this long before expiry. @default - a third of the duration */
  readonly renewBefore?: string;
  /** Key usages. @default - cert-manager's (digital signature, key encipherment, server auth) */
  readonly usages?: readonly KeyUsage[];
  /**
   * Renewals keep the private key (`rotationPolicy: Never`). For a trust anchor: a renewed anchor
   * with the same subject and key still verifies every certificate the old one signed, so peers
   * that hold either copy keep trusting each other. @default false - a fresh key on every renewal
   */
  readonly keepPrivateKey?: boolean;
}

const WILDCARD_OR_NAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const GO_DURATION = /^(\d+(\.\d+)?(h|m|s|ms))+$/;
const KEY_SIZES: Record<KeyAlgorithm, readonly number[]> = { RSA: [2048, 3072, 4096], ECDSA: [256, 384, 521], Ed25519: [] };

/** A cert-manager Certificate: cert-manager keeps a TLS Secret of that name fresh in its namespace. */
export class Certificate extends Construct {
  readonly name: string;
  readonly namespace?: string;
  readonly secretName: string;
  readonly issuer: IssuerRef;
  readonly dnsNames: readonly string[];

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.secretName = props.secretName ?? `${this.name}-tls`;
    this.issuer = { name: props.issuer.name, kind: props.issuer.kind };
    this.dnsNames = [...(props.dnsNames ?? [])];

    requireDnsLabel(this, 'name', this.name);
    if (props.namespace !== undefined) requireDnsLabel(this, 'namespace', props.namespace);
    requireDnsSubdomain(this, 'secretName', this.secretName);
    requireDnsLabel(this, 'issuer.name', this.issuer.name);
    this.dnsNames.forEach((n, i) => {
      if (!WILDCARD_OR_NAME.test(n)) invalidProp(this, `dnsNames[${i}]`, n, 'a lower-case DNS name, optionally starting with "*."');
    });
    if (new Set(this.dnsNames).size !== this.dnsNames.length) invalidProp(this, 'dnsNames', this.dnsNames, 'names without duplicates');
    if (!this.dnsNames.length && !(props.isCA && props.commonName)) {
      invalidProp(this, 'dnsNames', this.dnsNames, 'at least one name (only a CA certificate may go by its commonName alone)');
    }
    for (const field of ['duration', 'renewBefore'] as const) {
      const v = props[field];
      if (v !== undefined && !GO_DURATION.test(v)) invalidProp(this, field, v, 'a Go duration such as 2160h');
    }
    const algorithm = props.keyAlgorithm ?? 'RSA';
    if (props.keySize !== undefined && !KEY_SIZES[algorithm].includes(props.keySize)) {
      invalidProp(this, 'keySize', props.keySize, KEY_SIZES[algorithm].length ? `one of ${KEY_SIZES[algorithm].join(', ')} for ${algorithm}` : `no size for ${algorithm}`);
    }

    new CertificateResource(this, 'Resource', {
      metadata: { name: this.name, ...(props.namespace ? { namespace: props.namespace } : {}) },
      spec: {
        secretName: this.secretName,
        issuerRef: { name: this.issuer.name, kind: this.issuer.kind, group: 'cert-manager.io' },
        ...(props.commonName ? { commonName: props.commonName } : {}),
        ...(this.dnsNames.length ? { dnsNames: [...this.dnsNames] } : {}),
        ...(props.isCA ? { isCa: true } : {}),
        ...(props.duration ? { duration: props.duration } : {}),
        ...(props.renewBefore ? { renewBefore: props.renewBefore } : {}),
        ...(props.usages?.length ? { usages: props.usages.map((u) => u as CertificateSpecUsages) } : {}),
        privateKey: {
          algorithm: algorithm as CertificateSpecPrivateKeyAlgorithm,
          ...(props.keySize ? { size: props.keySize } : {}),
          // A fresh key on every renewal unless asked otherwise (cert-manager's default since 1.18;
          // explicit so that it does not depend on the controller version).
          rotationPolicy: props.keepPrivateKey ? CertificateSpecPrivateKeyRotationPolicy.NEVER : CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
        },
      },
    });
  }
}
