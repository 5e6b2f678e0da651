// Sprig behaviour the upstream corpus does not pin down, as Go (text/template + Sprig v3.3 +
// the Go standard library) prints it: error texts, cast conversions, RE2, Go time layouts,
// net/url, mergo, strings' byte semantics.
import { sprigFuncMap } from '../../../helm/sprig/index.js';
import { Template } from '../../../helm/template/template.js';

const render = (tpl: string, data: unknown = {}) => Template.new('t').funcs(sprigFuncMap()).parse(tpl).execute(data);

const cases: [string, string, unknown?][] = [
  // cast: strings with base prefixes and ".0", floats truncated, bools
  ['{{ int "0x1F" }} {{ int "010" }} {{ int "12.0" }} {{ int "12.5" }} {{ int64 true }}', '31 8 12 0 1'],
  ['{{ .x | int }} {{ .x | int64 | typeOf }} {{ max .x 3 }} {{ add .x 1 }} {{ mul 1.5 2 }}', '3 int64 3 4 2', { x: 3.7 }],
  ['{{ atoi "12" }} {{ atoi "x" }} {{ toDecimal "0777" }} {{ toDecimal 777 }}', '12 0 511 511'],
  ['{{ 3.0 | float64 }} {{ "1e3" | float64 }} {{ toString 1e6 }} {{ toString .x }}', '3 1000 1e+06 3.7', { x: 3.7 }],
  ['{{ typeOf 1 }} {{ typeOf 1.5 }} {{ typeOf (list) }} {{ typeOf (dict) }} {{ typeOf nil }} {{ typeOf (add 1 2) }}',
    'int float64 []interface {} map[string]interface {} <nil> int64'],
  // shopspring/decimal float math
  ['{{ addf 0.1 0.2 }} {{ mulf 1.1 3 }} {{ divf 1 3 }} {{ subf 1 0.9 }} {{ ceil "3.1" }} {{ floor -1.5 }}',
    '0.3 3.3 0.3333333333333333 0.1 4 -2'],
  ['{{ seq 3 }} {{ until 3 }} {{ untilStep 0 10 3 | toJson }}', '1 2 3 [0 1 2] [0,3,6,9]'],
  // strings
  ['{{ title "hello wORLD-foo_bar" }} {{ upper "straße" }} {{ lower "ÀB" }}', 'Hello WORLD-Foo_bar STRAßE àb'],
  ['{{ wrap 10 "The quick brown fox jumps over the lazy dog" | quote }}', '"The quick\\nbrown fox\\njumps over\\nthe lazy\\ndog"'],
  ['{{ abbrev 8 "hello world" }} {{ initials "hello big world" }} {{ swapcase "Hello World" }}', 'hello... hbw hELLO wORLD'],
  ['{{ snakecase "SimpleXMLParser" }} {{ kebabcase "ThisIsATest123Value" }} {{ camelcase "hello-world_foo bar" }}',
    'simple_xml_parser this-is-a-test123-value HelloWorldFooBar'],
  ['{{ cat "a" nil 1 2.5 (list 1) }} {{ quote "a\\"b" 1 nil }} {{ nospace " a b " }} {{ trimAll "$" "$$a$" }}', 'a 1 2.5 [1] "a\\"b" "1" ab a'],
  ['{{ splitn "$" 2 "a$b$c" }} {{ split "," "a,b" }} {{ join "," (list 1 nil "x") }}', 'map[_0:a _1:b$c] map[_0:a _1:b] 1,x'],
  ['{{ trunc 2 "héllo" }}|{{ substr 0 1 "héllo" }}', 'h\uFFFD|h'],
  // goutils walks bytes: multi-byte characters come back one Latin-1 rune per byte
  ['{{ nospace "h é llo" }}|{{ nospace "héllo" }}|{{ initials "élan vital" }}', 'hÃ©llo|héllo|Ãv'],
  // lists and dicts
  ['{{ list "b" "a" 3 | sortAlpha }} {{ has 1 (list 1 2) }} {{ has 1.0 (list 1 2) }} {{ uniq (list 1 1.0 "1") }}', '[3 a b] true false [1 1 1]'],
  ['{{ concat (list 1) (list 2 3) | len }} {{ without (list 1 2 1) 1 }} {{ compact (list 0 "" nil false "a") }}', '3 [2] [a]'],
  ['{{ merge (dict "a" (dict "b" 1)) (dict "a" (dict "c" 2) "d" nil) | toJson }}', '{"a":{"b":1,"c":2}}'],
  ['{{ mergeOverwrite (dict "a" 1 "b" (list 1)) (dict "a" 0 "b" (list) "c" nil) | toJson }}', '{"a":0,"b":[],"c":null}'],
  ['{{ $d := dict "a" 1 }}{{ $_ := set $d "b" (dict "c" 2) }}{{ dig "b" "c" "def" $d }} {{ dig "b" "x" "def" $d }}', '2 def'],
  ['{{ deepEqual (list 1 2) (list 1 2) }} {{ deepEqual (dict "a" 1) (dict "a" 1.0) }}', 'true false'],
  ['{{ get nil "a" | quote }} {{ hasKey nil "a" }} {{ keys nil }} {{ unset nil "a" }}', '"" false [] map[]'],
  ['{{ default "d" .missing }} {{ default "d" 0 }} {{ default "d" (list) }} {{ coalesce nil "" "x" }} {{ empty (dict) }}', 'd d d x true'],
  // RE2
  ['{{ regexMatch "^[a-z]+\\\\d$" "abc1" }} {{ regexReplaceAll "(?i)A" "aAb" "x" }} {{ regexFindAll "[[:digit:]]+" "a12b345" -1 }}',
    'true xxb [12 345]'],
  ['{{ regexReplaceAll "(?P<first>\\\\w+) (?P<second>\\\\w+)" "hello world" "${second} $first" }}', 'world hello'],
  ['{{ regexReplaceAll "a*" "baaab" "-" }} {{ regexFindAll "a*" "baaab" -1 | len }} {{ regexSplit "\\\\s+" "a  b c" -1 }}', '-b-b- 3 [a b c]'],
  ['{{ regexFind "\\\\x{41}+" "zAAb" }} {{ regexMatch "(" "x" }}', 'AA false'],
  // inline flags anywhere, scoped to their group
  ['{{ regexMatch "^(?i)abc$" "ABC" }} {{ regexFind "a(?i:b)c" "aBc" }} {{ regexMatch "a(?i:b)c" "aBC" }} {{ regexMatch "x(?i)[a-c]+$" "xAbC" }}',
    'true aBc false true'],
  ['{{ regexFindAll "x|(?m:^y$)" "x\\ny" -1 }} {{ regexMatch "a(?s:.)b" "a\\nb" }} {{ regexMatch "a.b" "a\\nb" }} {{ regexFindAll "(?m)^\\\\w+$" "ab\\ncd" -1 }}',
    '[x y] true false [ab cd]'],
  // encodings
  ['{{ b64dec "Y29mZmVl!" }}|{{ b64dec "Y29mZm" }}|{{ b32dec "MNXWMZTFMU" }}',
    'illegal base64 data at input byte 8|illegal base64 data at input byte 4|illegal base32 data at input byte 8'],
  ['{{ adler32sum "Wikipedia" }} {{ encryptAES "secret" "hello" | decryptAES "secret" }}', '300286872 hello'],
  // net/url
  ['{{ urlParse "https://u:p@example.com:8443/a%20b?x=1#frag" | toJson }}',
    '{"fragment":"frag","host":"example.com:8443","hostname":"example.com","opaque":"","path":"/a b","query":"x=1","scheme":"https","userinfo":"u:p"}'],
  ['{{ urlJoin (dict "scheme" "https" "host" "x.io" "path" "a b") }} {{ (urlParse "mailto:a@b.c").opaque }}', 'https://x.io/a%20b a@b.c'],
  // time
  ['{{ dateInZone "Mon Jan _2 15:04:05 MST 2006" (toDate "2006-01-02T15:04:05Z07:00" "2021-03-04T05:06:07+02:00") "UTC" }}',
    'Thu Mar  4 03:06:07 UTC 2021'],
  ['{{ dateInZone "2006-01-02 15:04:05.000 MST" (toDate "2006-01-02" "2020-07-01") "Europe/Berlin" }}', '2020-07-01 02:00:00.000 CEST'],
  ['{{ dateInZone "Jan 2, 2006 at 3:04pm (MST) -07:00 Z07:00" (toDate "2006-01-02" "2020-01-01") "America/New_York" }}',
    'Dec 31, 2019 at 7:00pm (EST) -05:00 -05:00'],
  ['{{ dateModify "-1.5h" (toDate "2006-01-02" "2020-01-01") | date "2006-01-02 15:04" }} {{ durationRound "-3h" }} {{ duration "90061" }}',
    '2019-12-31 22:30 3h 25h1m1s'],
  ['{{ toDate "2006-01-02" "2020-01-01" }} {{ toDate "2006-01-02" "bad" }}', '2020-01-01 00:00:00 +0000 UTC 0001-01-01 00:00:00 +0000 UTC'],
  ['{{ $t := toDate "2006-01-02" "2020-02-03" }}{{ $t.Unix }} {{ $t.Year }} {{ $t.YearDay }} {{ $t.Format "Jan 2" }}', '1580688000 2020 34 Feb 3'],
  // semver
  ['{{ semverCompare ">=1.21-0" "v1.29.0" }} {{ semverCompare "<1.19-0" "v1.29.0-eks-1234" }} {{ semverCompare ">=1.16-0" "1.20.0+k3s1" }}',
    'true false true'],
  ['{{ semver "1.2.3-rc.1+b5" }} {{ (semver "v1.2").Original }} {{ (semver "1.2.3").IncMinor }} {{ (semver "1.2.3").Major | typeOf }} {{ toJson (semver "1.2") }}',
    '1.2.3-rc.1+b5 v1.2 1.3.0 uint64 "1.2.0"'],
  ['{{ indent 2 "a\\nb" }}|{{ nindent 2 "a" }}', '  a\n  b|\n  a'],
];

describe('Sprig functions as Go prints them', () => {
  test.each(cases.map(([tpl, want, data]) => ({ tpl, want, data: data ?? {} })))('$tpl', ({ tpl, want, data }) => {
    expect(render(tpl, data)).toBe(want);
  });
});

const errors: [string, string][] = [
  ['{{ substr 3 1 "hello" }}', 'error calling substr: runtime error: slice bounds out of range [3:1]'],
  ['{{ substr -1 -1 "hello" }}', 'error calling substr: runtime error: slice bounds out of range [:-1]'],
  ['{{ substr 9 -1 "hello" }}', 'error calling substr: runtime error: slice bounds out of range [9:5]'],
  ['{{ repeat -1 "x" }}', 'error calling repeat: strings: negative Repeat count'],
  ['{{ first "abc" }}', 'error calling first: Cannot find first on type string'],
  ['{{ first nil }}', 'error calling first: runtime error: invalid memory address or nil pointer dereference'],
  ['{{ dig "a" "x" "def" (dict "a" 1) }}', 'error calling dig: interface conversion: interface {} is int, not map[string]interface {}'],
  ['{{ ternary "a" "b" 1 }}', 'expected bool; found 1'],
  ['{{ trunc .x "abc" }}', 'wrong type for value; expected int; got float64'],
  ['{{ div 1 0 }}', 'error calling div: runtime error: integer divide by zero'],
  ['{{ mustFromJson "{bad" }}', "error calling mustFromJson: invalid character 'b' looking for beginning of object key string"],
  ['{{ semverCompare "^1.2" "junk" }}', 'error calling semverCompare: invalid semantic version'],
  ['{{ semverCompare "junk" "1.2.3" }}', 'error calling semverCompare: improper constraint: junk'],
  ['{{ mustRegexMatch "(" "x" }}', 'error parsing regexp: missing closing ): `(`'],
  ['{{ mustRegexMatch "a**" "x" }}', 'error parsing regexp: invalid nested repetition operator: `**`'],
  ['{{ mustRegexMatch "[a" "x" }}', 'error parsing regexp: missing closing ]: `[a`'],
  ['{{ mustRegexMatch "\\\\q" "x" }}', 'error parsing regexp: invalid escape sequence: `\\q`'],
  ['{{ mustRegexMatch "(?=a)" "x" }}', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
  ['{{ mustToDate "2006-01-02" "x" }}', 'parsing time "x" as "2006-01-02": cannot parse "x" as "2006"'],
  ['{{ mustDateModify "1x" (now) }}', 'time: unknown unit "x" in duration "1x"'],
  ['{{ urlJoin (dict "host" 1) }}', 'unable to parse host key, must be of type string, but int found'],
  ['{{ fail "boom" }}', 'error calling fail: boom'],
  ['{{ empty }}', 'wrong number of args for empty: want 1 got 0'],
  ['{{ first 1 2 }}', 'wrong number of args for first: want 1 got 2'],
  ['{{ typeIs 1 "x" }}', 'expected string; found 1'],
  ['{{ set nil "a" 1 }}', 'error calling set: assignment to entry in nil map'],
];

describe('Sprig errors as Go words them', () => {
  test.each(errors)('%s', (tpl, message) => {
    expect(() => render(tpl, { x: 3.7 })).toThrow(message);
  });
});
