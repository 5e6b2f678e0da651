// The named string formats of Kubernetes' CEL `format` library (1.31+,
// k8s.io/apiserver/pkg/cel/library/format.go), each a validator giving the API server's own
// messages (k8s.io/apimachinery's validation), or none when the value is valid.

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const LABEL_KEY = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${LABEL_KEY})?`;
const full = (re: string) => new RegExp(`^${re}$`);

const maxLen = (n: number) => `must be no more than ${n} characters`;
const regexError = (msg: string, re: string, ...examples: string[]) =>
  `${msg} (${examples.length ? `e.g. ${examples.map((e) => `'${e}', `).join(' or ')}` : ''}regex used for validation is '${re}')`;

function dns1123Label(s: string): string[] {
  const errs = s.length > 63 ? [maxLen(63)] : [];
  if (!full(DNS1123_LABEL).test(s)) {
    errs.push(full(DNS1123_SUBDOMAIN).test(s) ? 'must not contain dots'
      : regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", DNS1123_LABEL, 'my-name', '123-abc'));
  }
  return errs;
}

function dns1123Subdomain(s: string): string[] {
  const errs = s.length > 253 ? [maxLen(253)] : [];
  if (!full(DNS1123_SUBDOMAIN).test(s)) {
    errs.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN, 'example.com'));
  }
  return errs;
}

function dns1035Label(s: string): string[] {
  const errs = s.length > 63 ? [maxLen(63)] : [];
  if (!full(DNS1035_LABEL).test(s)) {
    errs.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", DNS1035_LABEL, 'my-name', 'abc-123'));
  }
  return errs;
}

const LABEL_KEY_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

function qualifiedName(s: string): string[] {
  const parts = s.split('/');
  if (parts.length > 2) {
    return [`a valid label key ${regexError(LABEL_KEY_MSG, LABEL_KEY, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const errs: string[] = [];
  const name = parts[parts.length - 1]!;
  if (parts.length === 2) {
    if (!parts[0]) errs.push('prefix part must be non-empty');
    else errs.push(...dns1123Subdomain(parts[0]).map((m) => `prefix part ${m}`));
  }
  if (!name) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLen(63)}`);
  if (!full(LABEL_KEY).test(name)) errs.push(`name part ${regexError(LABEL_KEY_MSG, LABEL_KEY, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

function labelValue(s: string): string[] {
  const errs = s.length > 63 ? [maxLen(63)] : [];
  if (!full(LABEL_VALUE).test(s)) {
    errs.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/** maskTrailingDash: a generateName prefix may end in '-', as something is appended to it. */
const asPrefix = (validate: (s: string) => string[]) => (s: string) => validate(s.length > 1 && s.endsWith('-') ? `${s.slice(0, -2)}a` : s);

function uri(s: string): string[] {
  // url.ParseRequestURI: an absolute URI or an absolute path, no fragment.
  const ok = /^([a-zA-Z][a-zA-Z0-9+.-]*:|\/)/.test(s) && !s.includes('#') && !/\s/.test(s);
  return ok ? [] : [`parse "${s}": invalid URI for request`];
}

const UUID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;

function base64(s: string): string[] {
  return /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) ? [] : ['invalid base64'];
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function date(s: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) ? [] : ['invalid date'];
}

function datetime(s: string): string[] {
  // RFC 3339 date-time (strfmt also takes a space or lower-case t and z).
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ]([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/.exec(s);
  return m && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) ? [] : ['invalid datetime'];
}

/** A named format: `validate` gives the API server's messages, none when valid. */
export class NamedFormat {
  constructor(readonly name: string, readonly validate: (s: string) => string[]) {}
}

export const FORMATS: ReadonlyMap<string, NamedFormat> = new Map(Object.entries({
  dns1123Label, dns1123Subdomain, dns1035Label, qualifiedName,
  dns1123LabelPrefix: asPrefix(dns1123Label), dns1123SubdomainPrefix: asPrefix(dns1123Subdomain), dns1035LabelPrefix: asPrefix(dns1035Label),
  labelValue, uri, uuid: (s: string) => (UUID.test(s) ? [] : ['does not match the UUID format']), byte: base64, date, datetime,
}).map(([name, validate]) => [name, new NamedFormat(name, validate)]));
