import { Construct } from 'constructs';
import {
  ValidatingPolicy, ValidatingPolicySpecFailurePolicy, ValidatingPolicySpecValidationActions,
} from '../imports/policies.kyverno.io.js';
import { clearNamespace } from './cluster-issuer.js';
import { celString, requireNamespaces, validationActions, type PolicyAction } from './kyverno-match.js';
import { invalidProp, requireDnsLabel, requireDnsSubdomain } from './validation.js';

// A team publishes names only inside its fence: whoever writes the object (the team's Argo CD
// Application, or a workload holding rights in the namespace), the admission webhook checks the
// hosts of every route and certificate in the team's namespaces against the team's own names.

/** Which route kinds the cluster serves (only kinds whose CRDs exist are matched). */
export interface RouteKinds {
  /** Istio's Gateway and VirtualService (networking.istio.io). */
  readonly istio: boolean;
  /** Traefik's IngressRoute (traefik.io). */
  readonly traefik: boolean;
}

export interface TeamHostPolicyProps {
  /** Policy name (cluster-scoped). @default - `team-hosts-<team>` */
  readonly name?: string;
  /** The team, for messages. */
  readonly team: string;
  /** The team's namespaces: the policy judges objects there, and routes may send traffic only there. */
  readonly namespaces: readonly string[];
  /** DNS names the team owns with every name under them (`payments.prod.company.ru` allows `api.payments.prod.company.ru`). At least one. */
  readonly subdomains: readonly string[];
  /** Further names the team owns exactly (the overlay's hosts served from its namespaces). @default - none */
  readonly hosts?: readonly string[];
  /** Names the team may never own (the platform's hosts): a subdomain covering one is an error. @default - none */
  readonly reservedHosts?: readonly string[];
  /** ClusterIssuers a team Certificate may name. At least one. */
  readonly issuers: readonly string[];
  /** Namespaces besides the team's whose Traefik Middlewares a team route may use (the platform's redirect and headers). @default - none */
  readonly sharedMiddlewareNamespaces?: readonly string[];
  readonly routeKinds: RouteKinds;
  /** `Enforce` denies; `Audit` reports. @default 'Enforce' */
  readonly action?: PolicyAction;
}

/** Key usages a team's server certificate may carry: no client auth, no signing of other certificates. */
export const SERVER_CERTIFICATE_USAGES = ['digital signature', 'key encipherment', 'server auth'] as const;

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** One Traefik matcher besides Host, with backquoted arguments (no backquote inside). */
const TRAEFIK_MATCHER = '(PathPrefix|Path|PathRegexp|Method|Header|HeaderRegexp|Query|QueryRegexp)\\(`[^`]*`(\\s*,\\s*`[^`]*`)*\\)';
/**
 * The only Traefik rules a team route may have: `Host(...)` first, then `&&` and matchers or a
 * parenthesised group of them. With no `||` outside a group, every request the route takes has
 * one of its Host names: no catch-all route that a long PathPrefix would rank above another
 * team's (or the platform's) host.
 */
export const TEAM_TRAEFIK_RULE = `^Host\\(\`[^\`]+\`(\\s*,\\s*\`[^\`]+\`)*\\)(\\s*&&\\s*(${TRAEFIK_MATCHER}|\\(\\s*${TRAEFIK_MATCHER}(\\s*(\\|\\||&&)\\s*${TRAEFIK_MATCHER})*\\s*\\)))*$`;

/**
 * A Kyverno `ValidatingPolicy` (CEL) fencing one team's names: in the team's namespaces,
 * VirtualService and Gateway hosts, Traefik IngressRoute `Host` rules, Ingress hosts and
 * Certificate names must be the team's; routes may send traffic only to the team's own Services
 * (Traefik's allowCrossNamespace and an Istio destination's FQDN reach any namespace otherwise);
 * Certificates come only from the cluster's issuer, for server use, never as a CA.
 */
export class TeamHostPolicy extends Construct {
  readonly name: string;
  readonly subdomains: readonly string[];
  readonly hosts: readonly string[];

  constructor(scope: Construct, id: string, props: TeamHostPolicyProps) {
    super(scope, id);
    this.name = props.name ?? `team-hosts-${props.team}`;
    requireDnsSubdomain(this, 'name', this.name);
    requireDnsLabel(this, 'team', props.team);
    if (!props.namespaces.length) invalidProp(this, 'namespaces', props.namespaces, 'at least one namespace of the team');
    requireNamespaces(this, 'namespaces', props.namespaces);
    if (!props.subdomains.length) invalidProp(this, 'subdomains', props.subdomains, 'at least one DNS name such as payments.prod.company.ru');
    if (!props.issuers.length) invalidProp(this, 'issuers', props.issuers, 'at least one ClusterIssuer name');
    props.issuers.forEach((n, i) => requireDnsSubdomain(this, `issuers[${i}]`, n));
    requireNamespaces(this, 'sharedMiddlewareNamespaces', props.sharedMiddlewareNamespaces ?? []);
    this.subdomains = [...new Set(props.subdomains)].sort();
    this.hosts = [...new Set(props.hosts ?? [])].sort();
    this.subdomains.forEach((s, i) => { if (!HOST.test(s) || s.startsWith('*')) invalidProp(this, `subdomains[${i}]`, s, 'a lower-case DNS name without a wildcard'); });
    this.hosts.forEach((h, i) => { if (!HOST.test(h)) invalidProp(this, `hosts[${i}]`, h, 'a lower-case DNS name'); });
    (props.reservedHosts ?? []).forEach((h) => {
      const owner = this.subdomains.find((s) => h === s || h.endsWith(`.${s}`));
      if (owner) invalidProp(this, 'subdomains', owner, `a name that does not cover the platform's host ${h} (rename team ${props.team}, or move that host)`);
    });
    const action = props.action ?? 'Enforce';
    const namespaces = [...new Set(props.namespaces)].sort();
    const middlewareNamespaces = [...new Set([...namespaces, ...(props.sharedMiddlewareNamespaces ?? [])])].sort();

    const resourceRules = [
      { apiGroups: ['cert-manager.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['certificates'] },
      { apiGroups: ['networking.k8s.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'] },
      ...(props.routeKinds.istio ? [{ apiGroups: ['networking.istio.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['gateways', 'virtualservices'] }] : []),
      ...(props.routeKinds.traefik ? [{ apiGroups: ['traefik.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['ingressroutes'] }] : []),
    ];

    const policy = new ValidatingPolicy(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        validationActions: validationActions(action) as ValidatingPolicySpecValidationActions[],
        // A check of names needs no network: failing closed costs only Kyverno's availability.
        failurePolicy: action === 'Enforce' ? ValidatingPolicySpecFailurePolicy.FAIL : ValidatingPolicySpecFailurePolicy.IGNORE,
        // Admission only: the fence is in place (wave 0) before any team object (wave 10), and
        // Kyverno's reports controller may not list the route kinds (no aggregated view role for
        // Istio's or Traefik's CRDs), which with background scans on would hold the policy not Ready.
        evaluation: { background: { enabled: false } },
        matchConstraints: {
          resourceRules,
          namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: namespaces }] },
        },
        variables: [
          { name: 'subdomains', expression: celList(this.subdomains) },
          { name: 'hosts', expression: celList(this.hosts) },
          { name: 'namespaces', expression: celList(namespaces) },
          { name: 'middlewareNamespaces', expression: celList(middlewareNamespaces) },
          { name: 'issuers', expression: celList([...new Set(props.issuers)].sort()) },
        ],
        validations: [
          ...certificateValidations(props.team),
          ...ingressValidations(props.team),
          ...(props.routeKinds.istio ? istioValidations(props.team) : []),
          ...(props.routeKinds.traefik ? traefikValidations(props.team) : []),
        ],
      },
    });
    // Cluster-scoped: no namespace, whatever the chart's.
    clearNamespace(policy);
  }
}

const celList = (items: readonly string[]) => `[${items.map(celString).join(', ')}]`;

/** CEL: the name `h` is the team's (one of its hosts, or its subdomain or a name under it). */
const owned = (h: string) => `(${h} in variables.hosts || variables.subdomains.exists(s, ${h} == s || ${h}.endsWith('.' + s)))`;
/** CEL: `h` names a Service of the team's namespaces: a short name (the route's own namespace) or its cluster FQDN. */
const teamService = (h: string) =>
  `(${h}.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$') || variables.namespaces.exists(n, ${h}.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\\\.' + n + '\\\\.svc\\\\.cluster\\\\.local$')))`;
/** CEL: the object is of `kind`, or the expression holds. */
const forKind = (kind: string, expression: string) => `object.kind != '${kind}' || (${expression})`;
const mine = (team: string) => `names of team ${team} (its subdomain ' + variables.subdomains.join(', ') + (variables.hosts.size() > 0 ? ', or ' + variables.hosts.join(', ') : '') + ')`;

function certificateValidations(team: string) {
  const spec = 'object.spec';
  return [
    {
      expression: forKind('Certificate', `(!has(${spec}.dnsNames) || ${spec}.dnsNames.all(h, ${owned('h')})) && (!has(${spec}.commonName) || ${owned(`${spec}.commonName`)})`),
      messageExpression: `'a Certificate may name only the ${mine(team)}'`,
    },
    {
      expression: forKind('Certificate', `!has(${spec}.ipAddresses) && !has(${spec}.uris) && !has(${spec}.emailAddresses) && !has(${spec}.otherNames) && !has(${spec}.literalSubject)`),
      message: 'a team Certificate names DNS hosts only (no ipAddresses, uris, emailAddresses, otherNames or literalSubject)',
    },
    {
      expression: forKind('Certificate', `(!has(${spec}.isCA) || !${spec}.isCA) && (!has(${spec}.usages) || ${spec}.usages.all(u, u in ${celList(SERVER_CERTIFICATE_USAGES)}))`),
      message: `a team Certificate is a server certificate: not a CA, usages only ${SERVER_CERTIFICATE_USAGES.join(', ')}`,
    },
    {
      expression: forKind('Certificate', `has(${spec}.issuerRef.kind) && ${spec}.issuerRef.kind == 'ClusterIssuer' && (!has(${spec}.issuerRef.group) || ${spec}.issuerRef.group == 'cert-manager.io') && ${spec}.issuerRef.name in variables.issuers`),
      messageExpression: `'a team Certificate is issued by the ClusterIssuer ' + variables.issuers.join(' or ')`,
    },
  ];
}

function ingressValidations(team: string) {
  const spec = 'object.spec';
  return [{
    // A rule without a host, or a default backend, would take every name the controller serves.
    expression: forKind('Ingress', `!has(${spec}.defaultBackend) && (!has(${spec}.rules) || ${spec}.rules.all(r, has(r.host) && ${owned('r.host')})) && (!has(${spec}.tls) || ${spec}.tls.all(t, !has(t.hosts) || t.hosts.all(h, ${owned('h')})))`),
    messageExpression: `'an Ingress names a host in every rule and no default backend; hosts may be only the ${mine(team)}'`,
  }];
}

function istioValidations(team: string) {
  const spec = 'object.spec';
  const routesLocal = (field: string) => `(!has(${spec}.${field}) || ${spec}.${field}.all(r, !has(r.route) || r.route.all(d, ${teamService('d.destination.host')})))`;
  return [
    {
      // A gateway name is the team's; a mesh name (no gateway) is one of the team's Services.
      expression: forKind('VirtualService', `has(${spec}.hosts) && ${spec}.hosts.all(h, ${owned('h')} || ${teamService('h')})`),
      messageExpression: `'a VirtualService may name only the ${mine(team)}, or Services of its namespaces ' + variables.namespaces.join(', ')`,
    },
    {
      // Through the shared gateway a route reaches any Service by its FQDN: only the team's own.
      expression: forKind('VirtualService', `${routesLocal('http')} && ${routesLocal('tcp')} && ${routesLocal('tls')}`
        + ` && (!has(${spec}.http) || ${spec}.http.all(r, (!has(r.mirror) || ${teamService('r.mirror.host')}) && (!has(r.mirrors) || r.mirrors.all(m, ${teamService('m.destination.host')}))`
        + ` && (!has(r.delegate) || !has(r.delegate.namespace) || r.delegate.namespace in variables.namespaces)))`),
      messageExpression: `'a VirtualService of team ${team} sends traffic only to Services of its namespaces ' + variables.namespaces.join(', ')`,
    },
    {
      // Server hosts are `[namespace/]name`.
      expression: forKind('Gateway', `${spec}.servers.all(s, s.hosts.all(h, ${owned(`(h.contains('/') ? h.split('/')[1] : h)`)}))`),
      messageExpression: `'a Gateway may serve only the ${mine(team)}'`,
    },
  ];
}

function traefikValidations(team: string) {
  const spec = 'object.spec';
  // The Host(...) names of a rule, without their backquotes.
  const hostsOf = (m: string) => `${m}.find('^Host\\\\([^)]*\\\\)').findAll('\`[^\`]+\`')`;
  return [
    {
      expression: forKind('IngressRoute', `${spec}.routes.all(r, r.match.matches(${celString(TEAM_TRAEFIK_RULE)}) && ${hostsOf('r.match')}.all(q, ${owned("q.replace('`', '')")}))`),
      messageExpression: `'an IngressRoute rule is Host(\`name\`) first, then only && with Path, PathPrefix, Method, Header or Query matchers; names may be only the ${mine(team)}'`,
    },
    {
      // allowCrossNamespace lets a route name a Service anywhere: a team's routes stay at home.
      expression: forKind('IngressRoute', `${spec}.routes.all(r, (!has(r.services) || r.services.all(s, (!has(s.kind) || s.kind == 'Service') && (!has(s.namespace) || s.namespace in variables.namespaces)))`
        + ` && (!has(r.middlewares) || r.middlewares.all(m, !has(m.namespace) || m.namespace in variables.middlewareNamespaces)))`),
      messageExpression: `'an IngressRoute of team ${team} sends traffic only to Services (kind Service) of its namespaces ' + variables.namespaces.join(', ') + ' and uses Middlewares of ' + variables.middlewareNamespaces.join(', ')`,
    },
  ];
}
