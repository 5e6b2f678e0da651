// Go fmt as charts reach it (printf, print, %v of values): expected strings are what Go 1.25
// prints for the same operands.
import { formatValue, sprint, sprintf, sprintln } from '../../../helm/template/fmt.js';
import { formatFloat } from '../../../helm/template/strconv.js';
import { GoInt, int, int64 } from '../../../helm/template/value.js';

describe('sprintf', () => {
  const cases: [string, unknown[], string][] = [
    ['%04x', [int(127)], '007f'],
    ['%d', ['x'], '%!d(string=x)'],
    ['%s %s', ['a'], 'a %!s(MISSING)'],
    ['%s', ['a', int(1)], 'a%!(EXTRA int=1)'],
    ['%s', ['a', null, 'b'], 'a%!(EXTRA <nil>, string=b)'],
    ['%d', [3.0], '%!d(float64=3)'],
    ['%s', [null], '%!s(<nil>)'],
    ['%v', [null], '<nil>'],
    ['%z', [int(3)], '%!z(int=3)'],
    ['%', [], '%!(NOVERB)'],
    ['%.2f', [2.345], '2.35'],
    ['%.0f', [0.5], '0'],
    ['%.0f', [1.5], '2'],
    ['%.1f', [0.25], '0.2'],
    ['%5.1f|%-6d|%06.2f', [3.14159, int(42), -1.5], '  3.1|42    |-01.50'],
    ['%e', [1234.5678], '1.234568e+03'],
    ['%g', [1e-7], '1e-07'],
    ['%.3g', [1234.5678], '1.23e+03'],
    ['%g', [100000], '100000'],
    ['%g', [1000000], '1e+06'],
    ['%q', ['a"b\n'], '"a\\"b\\n"'],
    ['%x', ['hi'], '6869'],
    ['%X', [int(255)], 'FF'],
    ['%#x', [int(255)], '0xff'],
    ['%+d', [int(5)], '+5'],
    ['%c', [int(65)], 'A'],
    ['%U', [int(0x1f600)], 'U+1F600'],
    ['%t', [true], 'true'],
    ['%T', [1.5], 'float64'],
    ['%T', [int64(1)], 'int64'],
    ['%T', [{ a: 1 }], 'map[string]interface {}'],
    ['%T', [['a']], '[]interface {}'],
    ['%8.3s|', ['abcdef'], '     abc|'],
    ['%-5s|', ['ab'], 'ab   |'],
    ['%d', [[int(1), int(2)]], '[1 2]'],
    ['%s', [['a', 'b']], '[a b]'],
    ['%[2]d %[1]d', [int(1), int(2)], '2 1'],
    ['%*d', [int(5), int(3)], '    3'],
    ['%6.2f%%', [99.5], ' 99.50%'],
    ['%#v', ['x'], '"x"'],
    ['%#v', [{ a: int(1) }], 'map[string]interface {}{"a":1}'],
    ['%+v', [{ a: [1, { b: true }] }], 'map[a:[1 map[b:true]]]'],
    ['%s', [new Uint8Array([104, 105])], 'hi'],
    ['%v', [new Uint8Array([104, 105])], '[104 105]'],
  ];
  test.each(cases)('%s of %p', (format, args, want) => {
    expect(sprintf(format, args)).toBe(want);
  });
});

describe('%v of values', () => {
  test.each([
    [1000000, '1e+06'],
    [123456, '123456'],
    [1e21, '1e+21'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [0.1 + 0.2, '0.30000000000000004'],
    [-0, '-0'],
    [3, '3'],
    [new GoInt(1000000n, 'int64'), '1000000'],
    [{ b: 2, a: 1 }, 'map[a:1 b:2]'],
    [['a', null, int(3)], '[a <nil> 3]'],
    [{}, 'map[]'],
    [[], '[]'],
    [null, '<nil>'],
    [true, 'true'],
  ])('%p', (v, want) => {
    expect(formatValue(v)).toBe(want);
  });
});

test('Sprint spaces operands when neither side is a string; Sprintln always', () => {
  expect(sprint(['a', int(1), int(2), 'b', 'c', 1.5])).toBe('a1 2bc1.5');
  expect(sprintln(['a', int(1)])).toBe('a 1\n');
});

test('formatFloat rounds exact halves to even and switches to exponents as strconv does', () => {
  expect(formatFloat(2.5, 'f', 0)).toBe('2');
  expect(formatFloat(3.5, 'f', 0)).toBe('4');
  expect(formatFloat(1e20, 'g', -1)).toBe('1e+20');
  expect(formatFloat(123456789, 'g', -1)).toBe('1.23456789e+08');
  expect(formatFloat(0, 'e', 2)).toBe('0.00e+00');
  expect(formatFloat(-255, 'x', -1)).toBe('-0x1.fep+07');
  expect(formatFloat(NaN, 'g', -1)).toBe('NaN');
  expect(formatFloat(-Infinity, 'f', 2)).toBe('-Inf');
});
