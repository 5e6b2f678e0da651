import type { Construct } from 'constructs';

/** Throws a props error that carries the construct's path, the field, the value and what is valid. */
export function invalidProp(scope: Construct, field: string, received: unknown, expected: string): never {
  throw new Error(`${scope.node.path}: ${field}: received ${JSON.stringify(received)}; expected ${expected}`);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function requireDnsLabel(scope: Construct, field: string, value: string): void {
  if (!DNS_LABEL.test(value)) invalidProp(scope, field, value, 'a DNS label (lower-case letters, digits and "-", at most 63 characters)');
}

export function requireDnsSubdomain(scope: Construct, field: string, value: string): void {
  if (!DNS_SUBDOMAIN.test(value)) invalidProp(scope, field, value, 'a lower-case DNS name (RFC 1123 subdomain)');
}
