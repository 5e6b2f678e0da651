// The value typing traps of sops-format.md §2.3/§9.1: Go float formatting, yaml.v3 plain-scalar
// resolution, timestamps, and the canonical forms sops hashes.
import { canonicalFromType, formatGoFloat, parseYamlTimestamp, parseRfc3339, resolvePlain } from '../../sops/values.js';

test.each([
  [3.14, '3.14'],
  [1, '1'],
  [1e3, '1000'],
  [1e-7, '0.0000001'],
  [1.5e21, '1500000000000000000000'],
  [-2.5e-8, '-0.000000025'],
  [Infinity, '+Inf'],
  [-Infinity, '-Inf'],
  [NaN, 'NaN'],
  [-0, '-0'],
])('formatGoFloat(%p) is %p, never exponent notation', (v, s) => {
  expect(formatGoFloat(v)).toBe(s);
});

test.each([
  ['true', { type: 'bool', text: 'True' }],
  ['FALSE', { type: 'bool', text: 'False' }],
  ['yes', { type: 'str', text: 'yes' }],
  ['on', { type: 'str', text: 'on' }],
  ['~', null],
  ['', null],
  ['0x1F', { type: 'int', text: '31' }],
  ['0o17', { type: 'int', text: '15' }],
  ['0777', { type: 'int', text: '511' }],
  ['+12', { type: 'int', text: '12' }],
  ['1_000', { type: 'int', text: '1000' }],
  ['09', { type: 'float', text: '9' }],
  ['1e3', { type: 'float', text: '1000' }],
  ['.5', { type: 'float', text: '0.5' }],
  ['.inf', { type: 'float', text: '+Inf' }],
  ['-.inf', { type: 'float', text: '-Inf' }],
  ['-0', { type: 'float', text: '-0' }],
  ['2024-01-01', { type: 'time', text: '2024-01-01T00:00:00Z' }],
  ['2024-1-2 3:04:05.500', { type: 'time', text: '2024-01-02T03:04:05.5Z' }],
  ['2024-13-01', { type: 'str', text: '2024-13-01' }],
  ['1.2.3', { type: 'str', text: '1.2.3' }],
])('resolvePlain(%p) types it as Go yaml.v3 does', (src, expected) => {
  expect(resolvePlain(src)).toEqual(expected);
});

test('timestamps keep their offset and drop trailing fraction zeros; a zero offset becomes Z', () => {
  expect(parseYamlTimestamp('2006-01-02T15:04:05+07:06')).toBe('2006-01-02T15:04:05+07:06');
  expect(parseYamlTimestamp('2006-01-02T15:04:05.120000+00:00')).toBe('2006-01-02T15:04:05.12Z');
  expect(parseRfc3339('2024-11-12T13:33:42.999Z', true)).toBe('2024-11-12T13:33:42Z');
});

test('decrypted values are checked against their type and hashed in canonical form', () => {
  expect(canonicalFromType('bool', 'true')).toBe('True');
  expect(canonicalFromType('float', '7')).toBe('7');
  expect(canonicalFromType('int', '007')).toBe('7');
  expect(canonicalFromType('int', '1.5')).toBeUndefined();
  expect(canonicalFromType('bool', 'yes')).toBeUndefined();
  expect(canonicalFromType('uuid', 'x')).toBeUndefined();
});
