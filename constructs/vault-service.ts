import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import yaml from 'js-yaml';
import { SecretProviderClass } from '../imports/secrets-store.csi.x-k8s.io.js';
import { Certificate } from './certificate.js';
import type { IssuerRef } from './cluster-issuer.js';
import { invalidProp, requireDnsLabel } from './validation.js';

/** The CSI driver name pods mount (`csi.driver`). */
export const SECRETS_STORE_DRIVER = 'secrets-store.csi.k8s.io';
/** Where the injector writes files (fixed by Vault Agent). */
export const INJECTOR_MOUNT_PATH = '/vault/secrets';
/** Where an injected Vault Agent finds the Secret named by `vault.hashicorp.com/tls-secret` (fixed by the injector). */
export const INJECTOR_TLS_DIR = '/vault/tls';
import { SPC_CONSUMER_ANNOTATION } from '../primitives/annotations.js';
export { SPC_CONSUMER_ANNOTATION };

/** One secret the service reads: a KV v2 key that becomes one file. */
export interface VaultServiceSecret {
  /** File name under the mount path. */
  readonly name: string;
  /** KV v2 API path, `<mount>/data/<path>`. */
  readonly path: string;
  /** Key inside the KV secret. */
  readonly key: string;
}

export interface VaultServiceProps {
  /** The service's name. */
  readonly service: string;
  readonly namespace: string;
  /** `csi` renders a SecretProviderClass; `injector` computes the pod-template annotations (`podAnnotations`). */
  readonly delivery: 'csi' | 'injector';
  /** ServiceAccount the pods run as; rendered here, and the only identity the Vault role accepts. @default - the service's name */
  readonly serviceAccount?: string;
  /** Vault role and policy name. @default - `<namespace>-<service>` */
  readonly role?: string;
  /** Directory of the files in the container. @default /mnt/secrets (csi); /vault/secrets (injector, fixed) */
  readonly mountPath?: string;
  /** Mount of the Kubernetes auth method. @default kubernetes */
  readonly kubernetesMountPath?: string;
  /** Token TTL. @default 1h */
  readonly ttl?: string;
  /**
   * Audience of the ServiceAccount token Vault checks (Vault warns without one). CSI only: the
   * provider requests a token for it; Vault Agent logs in with the pod's own token, whose audience
   * is the API server's, so injector roles carry none. @default vault (csi)
   */
  readonly audience?: string;
  readonly secrets: readonly VaultServiceSecret[];
  /**
   * The issuer of Vault's serving certificate (a cluster-internal CA). Injector only: the agent
   * in the team's pod must trust that CA, and the injector cannot read it from a Secret, so a
   * Certificate from the same issuer in the service's namespace brings the CA (its `ca.crt`) into
   * a Secret the agent mounts (`vault.hashicorp.com/tls-secret`). The CSI provider's agent
   * trusts the CA on its own (charts/vault.ts). @default - none: the agent trusts the system roots
   */
  readonly vaultCaIssuer?: IssuerRef;
}

/**
 * What one service needs to read runtime secrets from Vault: its ServiceAccount, a
 * SecretProviderClass (CSI) or the Vault Agent annotations for its pod template (injector), and
 * the Vault role and policy as data (`vaultRole`, `vaultPolicy`) that the platform applies to
 * Vault (charts/vault.ts writes them into the vault-kubernetes-roles ConfigMap).
 */
export class VaultService extends Construct {
  readonly service: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly role: string;
  readonly mountPath: string;
  readonly delivery: 'csi' | 'injector';
  readonly secrets: readonly VaultServiceSecret[];
  /** The SecretProviderClass name (csi). */
  readonly secretProviderClass?: string;
  /** The Secret whose `ca.crt` the injected agent trusts for Vault (injector with `vaultCaIssuer`). */
  readonly vaultCaSecret?: string;
  /** Annotations the team puts on its pod template (injector; with csi, none). */
  readonly podAnnotations: Readonly<Record<string, string>>;
  /** The volume the team adds to its pod spec (csi). */
  readonly podVolume?: Record<string, unknown>;
  /** Body of `vault write auth/<mount>/role/<role>`. */
  readonly vaultRole: Record<string, unknown>;
  /** HCL of `vault policy write <role>`: read on the service's KV paths only. */
  readonly vaultPolicy: string;
  readonly kubernetesMountPath: string;

  constructor(scope: Construct, id: string, props: VaultServiceProps) {
    super(scope, id);
    requireDnsLabel(this, 'service', props.service);
    requireDnsLabel(this, 'namespace', props.namespace);
    this.service = props.service;
    this.namespace = props.namespace;
    this.delivery = props.delivery;
    this.serviceAccount = props.serviceAccount ?? props.service;
    requireDnsLabel(this, 'serviceAccount', this.serviceAccount);
    this.role = props.role ?? `${props.namespace}-${props.service}`;
    if (!/^[a-z0-9][-_a-z0-9]{0,126}$/.test(this.role)) invalidProp(this, 'role', this.role, 'a Vault role name (lower-case letters, digits, "-" and "_")');
    this.kubernetesMountPath = props.kubernetesMountPath ?? 'kubernetes';
    if (props.delivery === 'injector' && props.mountPath !== undefined && props.mountPath !== INJECTOR_MOUNT_PATH) {
      invalidProp(this, 'mountPath', props.mountPath, `${INJECTOR_MOUNT_PATH} (Vault Agent's fixed directory) or nothing`);
    }
    this.mountPath = props.delivery === 'injector' ? INJECTOR_MOUNT_PATH : props.mountPath ?? '/mnt/secrets';
    if (!/^\/[-_a-zA-Z0-9/]*[-_a-zA-Z0-9]$/.test(this.mountPath)) invalidProp(this, 'mountPath', this.mountPath, 'an absolute directory such as /mnt/secrets');
    if (!props.secrets.length) invalidProp(this, 'secrets', props.secrets, 'at least one { name, path, key }');
    const names = new Set<string>();
    props.secrets.forEach((s, i) => {
      if (!/^[a-z0-9]+(\/data\/)[-_a-z0-9/]+$/.test(s.path)) invalidProp(this, `secrets[${i}].path`, s.path, 'a KV v2 API path such as kv/data/team/service');
      if (names.has(s.name)) invalidProp(this, `secrets[${i}].name`, s.name, 'a file name not used by another secret of the service');
      names.add(s.name);
    });
    this.secrets = props.secrets.map((s) => ({ ...s }));
    const audience = props.delivery === 'csi' ? props.audience ?? 'vault' : undefined;
    const ttl = props.ttl ?? '1h';

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.serviceAccount, namespace: props.namespace, labels: { 'app.kubernetes.io/name': props.service } },
    });

    if (props.delivery === 'csi') {
      this.secretProviderClass = `${props.service}-vault`;
      new SecretProviderClass(this, 'SecretProviderClass', {
        metadata: {
          name: this.secretProviderClass,
          namespace: props.namespace,
          annotations: { [SPC_CONSUMER_ANNOTATION]: this.serviceAccount },
        },
        spec: {
          provider: 'vault',
          parameters: {
            roleName: this.role,
            vaultKubernetesMountPath: this.kubernetesMountPath,
            audience: audience!,
            // A YAML string, as the provider parses it.
            objects: yaml.dump(this.secrets.map((s) => ({ objectName: s.name, secretPath: s.path, secretKey: s.key })), { lineWidth: -1 }),
          },
        },
      });
      this.podAnnotations = {};
      this.podVolume = {
        name: 'vault-secrets',
        csi: { driver: SECRETS_STORE_DRIVER, readOnly: true, volumeAttributes: { secretProviderClass: this.secretProviderClass } },
      };
    } else {
      const annotations: Record<string, string> = {
        'vault.hashicorp.com/agent-inject': 'true',
        'vault.hashicorp.com/role': this.role,
        'vault.hashicorp.com/auth-path': `auth/${this.kubernetesMountPath}`,
      };
      if (props.vaultCaIssuer) {
        // Only a client-auth certificate for a name nobody serves: its key (in the team's
        // namespace) cannot pass for Vault, whose clients require server auth.
        const ca = new Certificate(this, 'VaultCa', {
          name: `${props.service}-vault-ca`,
          namespace: props.namespace,
          secretName: `${props.service}-vault-ca`,
          issuer: props.vaultCaIssuer,
          dnsNames: [`${this.serviceAccount}.${props.namespace}.vault-client.invalid`],
          usages: ['digital signature', 'client auth'],
          keyAlgorithm: 'ECDSA',
          keySize: 256,
        });
        this.vaultCaSecret = ca.secretName;
        annotations['vault.hashicorp.com/tls-secret'] = ca.secretName;
        annotations['vault.hashicorp.com/ca-cert'] = `${INJECTOR_TLS_DIR}/ca.crt`;
      }
      for (const s of this.secrets) {
        annotations[`vault.hashicorp.com/agent-inject-secret-${s.name}`] = s.path;
        annotations[`vault.hashicorp.com/agent-inject-template-${s.name}`] = `{{- with secret "${s.path}" -}}{{ .Data.data.${s.key} }}{{- end -}}`;
      }
      this.podAnnotations = annotations;
    }

    this.vaultRole = {
      bound_service_account_names: [this.serviceAccount],
      bound_service_account_namespaces: [props.namespace],
      ...(audience ? { audience } : {}),
      token_policies: [this.role],
      token_ttl: ttl,
    };
    const paths = [...new Set(this.secrets.map((s) => s.path))].sort();
    this.vaultPolicy = paths.map((p) => `path "${p}" {\n  capabilities = ["read"]\n}\n`).join('\n');
  }
}
