// Format checks shared by the schema generator (scripts/gen-schemas.mjs), which registers them
// with ajv, and by the generated validators (validate/generated/*.js), which import them at run
// time. Plain JS because the generated ESM is loaded by node as is, without TypeScript.
//
// Each check is what the API server itself enforces (Go decoding or kube-openapi's strfmt), so a
// value accepted here is one the server would accept; formats the server does not check for
// our purposes are listed in IGNORED_FORMATS and accept anything. A format in neither list makes
// the generator fail, so a new CRD with a new format is a deliberate decision, not a silent gap.

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
// Largest doubles inside the int64 range (2^63 itself is not representable as int64).
const INT64_MIN = -9223372036854775808;
const INT64_MAX = 9223372036854775807;

// RFC 3339 as Go's time.Parse(time.RFC3339) reads it: upper-case T and Z, colon in the offset.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDateTime(s) {
  const m = DATE_TIME.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 && !leap ? 28 : DAYS[mo - 1])) return false;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return true;
}

// Go's base64.StdEncoding (what encoding/json uses for []byte): padded, and it skips \r and \n.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const isBase64 = (s) => BASE64.test(s.replace(/[\r\n]/g, ''));

// kube-openapi's strfmt duration: Go durations ("1h30m", "250ms") and "<n> <unit>" forms.
const DURATION = /^\s*(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*[A-Za-zµμ]+\s*)+$/;

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$/i;

// resource.Quantity: the server's own pre-check (resource.ParseQuantity error text quotes it).
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/** ajv format definitions, by format name. */
export const formats = {
  int32: { type: 'number', validate: (n) => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX },
  int64: { type: 'number', validate: (n) => Number.isInteger(n) && n >= INT64_MIN && n <= INT64_MAX },
  'date-time': { type: 'string', validate: isDateTime },
  byte: { type: 'string', validate: isBase64 },
  duration: { type: 'string', validate: (s) => DURATION.test(s) },
  ipv4: { type: 'string', validate: (s) => IPV4.test(s) },
  ipv6: { type: 'string', validate: (s) => IPV6.test(s) },
  'k8s-quantity': { type: 'string', validate: (s) => QUANTITY.test(s) },
};

/** Formats that only document a representation (JSON numbers are doubles already). */
export const IGNORED_FORMATS = ['double', 'float'];

/** What a person should be told a format means, for error messages. */
export const FORMAT_DESCRIPTIONS = {
  int32: 'a 32-bit integer (-2147483648..2147483647)',
  int64: 'a 64-bit integer',
  'date-time': 'an RFC 3339 date-time such as "2024-01-31T12:00:00Z"',
  byte: 'base64-encoded data (standard alphabet, padded)',
  duration: 'a duration such as "30s" or "1h30m"',
  ipv4: 'an IPv4 address such as "10.0.0.1"',
  ipv6: 'an IPv6 address such as "fd00::1"',
  'k8s-quantity': 'a quantity such as "500m", "1Gi" or "2"',
};
