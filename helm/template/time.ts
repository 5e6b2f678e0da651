// Go's time package as templates meet it: zones loaded by name (IANA through Intl), layouts
// ("2006-01-02 15:04:05.999999999 -0700 MST") for Format and Parse, and time.Duration's text.
// fmt prints a time.Time with String(); Sprig's date functions format and parse with layouts.
import { quote } from './strconv.js';
import { GoTime } from './value.js';

// --- zones ---

/** The IANA zone Go's Local stands for (TZ, else the system's). */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

// Intl formatters are costly to build and charts format dates in few zones: one per zone.
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const nameFormatters = new Map<string, Intl.DateTimeFormat>();

function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** time.LoadLocation: "" and "UTC" are UTC, "Local" the local zone, else an IANA name. */
export function loadLocation(name: string): string | undefined {
  if (name === '' || name === 'UTC') return 'UTC';
  if (name === 'Local') return localZone();
  return isValidZone(name) ? name : undefined;
}

const FIXED_ZONE = /^([+-])(\d{2}):?(\d{2})$/;

/** Offset east of UTC in seconds of `zone` at instant `ms`. */
export function zoneOffset(zone: string, ms: number): number {
  if (zone === 'UTC' || zone === '') return 0;
  const fixed = FIXED_ZONE.exec(zone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 3600 + Number(fixed[3]) * 60);
  let f = offsetFormatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
    });
    offsetFormatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(Math.floor(ms / 1000) * 1000)).map((p) => [p.type, p.value]));
  let year = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
  const asUTC = Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUTC - Math.floor(ms / 1000) * 1000) / 1000);
}

/** The zone abbreviation Go prints for MST ("UTC", "CET", "PST", or "+03" where tzdata has none). */
function zoneAbbreviation(zone: string, ms: number, offset: number): string {
  if (zone === 'UTC' || zone === '') return 'UTC';
  if (FIXED_ZONE.test(zone)) return '';
  for (const locale of ['en-US', 'en-GB']) {
    const key = `${locale} ${zone}`;
    let f = nameFormatters.get(key);
    if (f === undefined) {
      f = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' });
      nameFormatters.set(key, f);
    }
    const name = f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value;
    if (name !== undefined && !/^(GMT|UTC)([+-]|$)/.test(name)) return name;
  }
  if (offset === 0) return zone.startsWith('Etc/') || zone === 'GMT' ? 'GMT' : 'UTC';
  const a = Math.abs(offset);
  const hh = String(Math.floor(a / 3600)).padStart(2, '0');
  const mm = Math.floor((a % 3600) / 60);
  return (offset < 0 ? '-' : '+') + hh + (mm ? String(mm).padStart(2, '0') : '');
}

// --- layouts ---

const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Std =
  | 'LongMonth' | 'Month' | 'NumMonth' | 'ZeroMonth' | 'LongWeekDay' | 'WeekDay' | 'Day' | 'UnderDay' | 'ZeroDay'
  | 'UnderYearDay' | 'ZeroYearDay' | 'Hour' | 'Hour12' | 'ZeroHour12' | 'Minute' | 'ZeroMinute' | 'Second'
  | 'ZeroSecond' | 'LongYear' | 'Year' | 'PM' | 'pm' | 'TZ' | 'ISO8601TZ' | 'ISO8601SecondsTZ' | 'ISO8601ShortTZ'
  | 'ISO8601ColonTZ' | 'ISO8601ColonSecondsTZ' | 'NumTZ' | 'NumSecondsTz' | 'NumShortTZ' | 'NumColonTZ'
  | 'NumColonSecondsTZ' | 'Frac0' | 'Frac9';

interface Chunk { prefix: string; std?: Std; fracDigits?: number; fracSep?: string; stdText: string; suffix: string }

const isDigitAt = (s: string, i: number) => i < s.length && s[i]! >= '0' && s[i]! <= '9';

/** Go's nextStdChunk: the text before the next layout element, the element, and the rest. */
function nextStdChunk(layout: string): Chunk {
  const ret = (i: number, std: Std, len: number, extra: Partial<Chunk> = {}): Chunk =>
    ({ prefix: layout.slice(0, i), std, stdText: layout.slice(i, i + len), suffix: layout.slice(i + len), ...extra });
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]!;
    const at = (s: string) => layout.startsWith(s, i);
    switch (c) {
      case 'J':
        if (at('Jan')) return at('January') ? ret(i, 'LongMonth', 7) : ret(i, 'Month', 3);
        break;
      case 'M':
        if (at('Mon')) return at('Monday') ? ret(i, 'LongWeekDay', 6) : ret(i, 'WeekDay', 3);
        if (at('MST')) return ret(i, 'TZ', 3);
        break;
      case '0':
        if (layout[i + 1] !== undefined && layout[i + 1]! >= '1' && layout[i + 1]! <= '6') {
          const std: Std[] = ['ZeroMonth', 'ZeroDay', 'ZeroHour12', 'ZeroMinute', 'ZeroSecond', 'Year'];
          return ret(i, std[Number(layout[i + 1]) - 1]!, 2);
        }
        if (at('002')) return ret(i, 'ZeroYearDay', 3);
        break;
      case '1':
        if (at('15')) return ret(i, 'Hour', 2);
        return ret(i, 'NumMonth', 1);
      case '2':
        if (at('2006')) return ret(i, 'LongYear', 4);
        return ret(i, 'Day', 1);
      case '_':
        if (layout[i + 1] === '2') {
          // _2006 is a literal _ followed by the year.
          if (layout.startsWith('2006', i + 1)) return ret(i + 1, 'LongYear', 4);
          return ret(i, 'UnderDay', 2);
        }
        if (at('__2')) return ret(i, 'UnderYearDay', 3);
        break;
      case '3': return ret(i, 'Hour12', 1);
      case '4': return ret(i, 'Minute', 1);
      case '5': return ret(i, 'Second', 1);
      case 'P':
        if (at('PM')) return ret(i, 'PM', 2);
        break;
      case 'p':
        if (at('pm')) return ret(i, 'pm', 2);
        break;
      case '-':
        if (at('-070000')) return ret(i, 'NumSecondsTz', 7);
        if (at('-07:00:00')) return ret(i, 'NumColonSecondsTZ', 9);
        if (at('-0700')) return ret(i, 'NumTZ', 5);
        if (at('-07:00')) return ret(i, 'NumColonTZ', 6);
        if (at('-07')) return ret(i, 'NumShortTZ', 3);
        break;
      case 'Z':
        if (at('Z070000')) return ret(i, 'ISO8601SecondsTZ', 7);
        if (at('Z07:00:00')) return ret(i, 'ISO8601ColonSecondsTZ', 9);
        if (at('Z0700')) return ret(i, 'ISO8601TZ', 5);
        if (at('Z07:00')) return ret(i, 'ISO8601ColonTZ', 6);
        if (at('Z07')) return ret(i, 'ISO8601ShortTZ', 3);
        break;
      case '.': case ',':
        if (layout[i + 1] === '0' || layout[i + 1] === '9') {
          const ch = layout[i + 1]!;
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigitAt(layout, j)) {
            return ret(i, ch === '0' ? 'Frac0' : 'Frac9', j - i, { fracDigits: j - (i + 1), fracSep: c });
          }
        }
        break;
    }
  }
  return { prefix: layout, stdText: '', suffix: '' };
}

/** The calendar fields of an instant in a zone. */
interface Fields {
  year: number; month: number; day: number; yday: number; weekday: number;
  hour: number; minute: number; second: number; nanos: number; offset: number; abbrev: string;
}

function fieldsOf(t: GoTime): Fields {
  const offset = zoneOffset(t.zone, t.ms);
  const local = new Date(Math.floor(t.ms / 1000) * 1000 + offset * 1000);
  const year = local.getUTCFullYear();
  const startOfYear = Date.UTC(year, 0, 1);
  const subMs = ((t.ms % 1000) + 1000) % 1000;
  return {
    year,
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    yday: Math.floor((local.getTime() - startOfYear) / 86400000) + 1,
    weekday: local.getUTCDay(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    nanos: subMs * 1e6 + t.nanos,
    offset,
    abbrev: zoneAbbreviation(t.zone, t.ms, offset),
  };
}

const pad = (n: number, width: number, ch = '0') => String(n).padStart(width, ch);

function formatOffset(offset: number, colon: boolean, withMinutes: boolean, withSeconds: boolean, zForZero: boolean): string {
  if (zForZero && offset === 0) return 'Z';
  const a = Math.abs(offset);
  let s = (offset < 0 ? '-' : '+') + pad(Math.floor(a / 3600), 2);
  if (withMinutes) s += (colon ? ':' : '') + pad(Math.floor((a % 3600) / 60), 2);
  if (withSeconds) s += (colon ? ':' : '') + pad(a % 60, 2);
  return s;
}

/** time.Time.Format. */
export function formatTime(t: GoTime, layout: string): string {
  const f = fieldsOf(t);
  let out = '';
  let rest = layout;
  while (rest !== '') {
    const chunk = nextStdChunk(rest);
    out += chunk.prefix;
    rest = chunk.suffix;
    if (chunk.std === undefined) break;
    switch (chunk.std) {
      case 'Year': out += pad(((f.year % 100) + 100) % 100, 2); break;
      case 'LongYear': out += pad(f.year, 4); break;
      case 'Month': out += LONG_MONTHS[f.month - 1]!.slice(0, 3); break;
      case 'LongMonth': out += LONG_MONTHS[f.month - 1]; break;
      case 'NumMonth': out += f.month; break;
      case 'ZeroMonth': out += pad(f.month, 2); break;
      case 'WeekDay': out += LONG_DAYS[f.weekday]!.slice(0, 3); break;
      case 'LongWeekDay': out += LONG_DAYS[f.weekday]; break;
      case 'Day': out += f.day; break;
      case 'UnderDay': out += pad(f.day, 2, ' '); break;
      case 'ZeroDay': out += pad(f.day, 2); break;
      case 'UnderYearDay': out += pad(f.yday, 3, ' '); break;
      case 'ZeroYearDay': out += pad(f.yday, 3); break;
      case 'Hour': out += pad(f.hour, 2); break;
      case 'Hour12': out += f.hour % 12 === 0 ? 12 : f.hour % 12; break;
      case 'ZeroHour12': out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, 2); break;
      case 'Minute': out += f.minute; break;
      case 'ZeroMinute': out += pad(f.minute, 2); break;
      case 'Second': out += f.second; break;
      case 'ZeroSecond': out += pad(f.second, 2); break;
      case 'PM': out += f.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += f.hour >= 12 ? 'pm' : 'am'; break;
      case 'ISO8601TZ': out += formatOffset(f.offset, false, true, false, true); break;
      case 'ISO8601SecondsTZ': out += formatOffset(f.offset, false, true, true, true); break;
      case 'ISO8601ShortTZ': out += formatOffset(f.offset, false, false, false, true); break;
      case 'ISO8601ColonTZ': out += formatOffset(f.offset, true, true, false, true); break;
      case 'ISO8601ColonSecondsTZ': out += formatOffset(f.offset, true, true, true, true); break;
      case 'NumTZ': out += formatOffset(f.offset, false, true, false, false); break;
      case 'NumSecondsTz': out += formatOffset(f.offset, false, true, true, false); break;
      case 'NumShortTZ': out += formatOffset(f.offset, false, false, false, false); break;
      case 'NumColonTZ': out += formatOffset(f.offset, true, true, false, false); break;
      case 'NumColonSecondsTZ': out += formatOffset(f.offset, true, true, true, false); break;
      case 'TZ': out += f.abbrev !== '' ? f.abbrev : formatOffset(f.offset, false, true, false, false); break;
      case 'Frac0': out += chunk.fracSep + pad(f.nanos, 9).slice(0, chunk.fracDigits); break;
      case 'Frac9': {
        const digits = pad(f.nanos, 9).slice(0, chunk.fracDigits).replace(/0+$/, '');
        if (digits !== '') out += chunk.fracSep + digits;
        break;
      }
    }
  }
  return out;
}

/** time.Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST". */
export function timeString(t: GoTime): string {
  return formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST');
}

/** time.ParseInLocation: fields read by the layout; without a zone in the text, `zone` applies. */
export function parseTime(layout: string, value: string, zone: string): GoTime {
  const fail = (valueElem: string, layoutElem: string, extra = ''): never => {
    throw new Error(`parsing time ${quote(value)} as ${quote(layout)}: cannot parse ${quote(valueElem)} as ${quote(layoutElem)}${extra}`);
  };
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanos = 0;
  let pmSet = false;
  let amSet = false;
  let offset: number | undefined;
  let zoneName: string | undefined;
  let rest = layout;
  let v = value;
  const num = (min: number, max: number, std: string): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(v);
    if (!m) fail(v, std);
    v = v.slice(m![0].length);
    return Number(m![0]);
  };
  const lookup = (names: string[], std: string, len?: number): number => {
    for (let i = 0; i < names.length; i++) {
      const name = len ? names[i]!.slice(0, len) : names[i]!;
      if (v.slice(0, name.length).toLowerCase() === name.toLowerCase()) {
        v = v.slice(name.length);
        return i;
      }
    }
    return fail(v, std);
  };
  while (rest !== '') {
    const chunk = nextStdChunk(rest);
    const prefix = chunk.prefix;
    if (!v.startsWith(prefix)) fail(v, prefix);
    v = v.slice(prefix.length);
    rest = chunk.suffix;
    if (chunk.std === undefined) {
      if (v !== '') throw new Error(`parsing time ${quote(value)}: extra text: ${quote(v)}`);
      break;
    }
    const std = chunk.stdText;
    switch (chunk.std) {
      case 'Year': { const y = num(2, 2, std); year = y >= 69 ? y + 1900 : y + 2000; break; }
      case 'LongYear': year = num(4, 4, std); break;
      case 'Month': month = lookup(LONG_MONTHS, std, 3) + 1; break;
      case 'LongMonth': month = lookup(LONG_MONTHS, std) + 1; break;
      case 'NumMonth': month = num(1, 2, std); break;
      case 'ZeroMonth': month = num(2, 2, std); break;
      case 'WeekDay': lookup(LONG_DAYS, std, 3); break;
      case 'LongWeekDay': lookup(LONG_DAYS, std); break;
      case 'Day': day = num(1, 2, std); break;
      case 'UnderDay': if (v.startsWith(' ')) v = v.slice(1); day = num(1, 2, std); break;
      case 'ZeroDay': day = num(2, 2, std); break;
      case 'UnderYearDay': case 'ZeroYearDay': v = v.replace(/^ +/, ''); num(1, 3, std); break;
      case 'Hour': hour = num(1, 2, std); break;
      case 'Hour12': hour = num(1, 2, std); break;
      case 'ZeroHour12': hour = num(2, 2, std); break;
      case 'Minute': minute = num(1, 2, std); break;
      case 'ZeroMinute': minute = num(2, 2, std); break;
      case 'Second': case 'ZeroSecond': {
        second = num(chunk.std === 'Second' ? 1 : 2, 2, std);
        // A fractional second may follow even when the layout has none.
        const frac = /^[.,](\d+)/.exec(v);
        if (frac && !/^[.,][09]/.test(rest)) {
          nanos = Number(frac[1]!.slice(0, 9).padEnd(9, '0'));
          v = v.slice(frac[0].length);
        }
        break;
      }
      case 'PM': case 'pm': {
        const p = v.slice(0, 2).toUpperCase();
        if (p === 'PM') pmSet = true;
        else if (p === 'AM') amSet = true;
        else fail(v, std);
        v = v.slice(2);
        break;
      }
      case 'TZ': {
        const m = /^(UTC|GMT|[A-Z]{3,5}|[+-]\d{2,4})/.exec(v);
        if (!m) fail(v, std);
        zoneName = m![0];
        v = v.slice(m![0].length);
        break;
      }
      case 'Frac0': case 'Frac9': {
        const m = /^[.,](\d*)/.exec(v);
        if (!m) {
          if (chunk.std === 'Frac9') break;
          fail(v, std);
        }
        nanos = Number(m![1]!.slice(0, 9).padEnd(9, '0'));
        v = v.slice(m![0].length);
        break;
      }
      default: {
        // Numeric zones, with Z for UTC in the ISO 8601 forms.
        if (chunk.std.startsWith('ISO8601') && v.startsWith('Z')) {
          v = v.slice(1);
          offset = 0;
          break;
        }
        const m = /^([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?/.exec(v);
        if (!m) fail(v, std);
        offset = (m![1] === '-' ? -1 : 1) * (Number(m![2]) * 3600 + Number(m![3] ?? 0) * 60 + Number(m![4] ?? 0));
        v = v.slice(m![0].length);
      }
    }
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (month < 1 || month > 12) fail(String(month), 'month', ': month out of range');
  const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysIn || hour > 23 || minute > 59 || second > 59) {
    throw new Error(`parsing time ${quote(value)}: ${day < 1 || day > daysIn ? 'day' : hour > 23 ? 'hour' : minute > 59 ? 'minute' : 'second'} out of range`);
  }
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const wallFixed = year < 100 ? new Date(wall).setUTCFullYear(year) : wall;
  const subMs = Math.floor(nanos / 1e6);
  const restNanos = nanos % 1e6;
  if (offset !== undefined) {
    const a = Math.abs(offset);
    const name = offset === 0 ? 'UTC' : `${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 3600), 2)}:${pad(Math.floor((a % 3600) / 60), 2)}`;
    return new GoTime(wallFixed - offset * 1000 + subMs, restNanos, name);
  }
  if (zoneName === 'UTC' || zoneName === 'GMT') return new GoTime(wallFixed + subMs, restNanos, 'UTC');
  // A wall clock in `zone`: find the instant whose local time it is.
  let guess = wallFixed - zoneOffset(zone, wallFixed) * 1000;
  guess = wallFixed - zoneOffset(zone, guess) * 1000;
  return new GoTime(guess + subMs, restNanos, zone);
}

// --- durations ---

const NS = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1000000n, s: 1000000000n, m: 60000000000n, h: 3600000000000n } as const;
const INT64_MAX = (1n << 63n) - 1n;

/** time.ParseDuration, in nanoseconds. */
export function parseDuration(s: string): bigint {
  const orig = s;
  const invalid = () => new Error(`time: invalid duration ${quote(orig)}`);
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if (m[0] === '' || m[0] === '.' || (m[1] === '' && (m[2] ?? '') === '')) throw invalid();
    s = s.slice(m[0].length);
    const unit = /^[^0-9.]+/.exec(s)?.[0];
    if (unit === undefined) throw new Error(`time: missing unit in duration ${quote(orig)}`);
    const scale = (NS as Record<string, bigint>)[unit];
    if (scale === undefined) throw new Error(`time: unknown unit ${quote(unit)} in duration ${quote(orig)}`);
    s = s.slice(unit.length);
    let v = BigInt(m[1] || '0') * scale;
    const frac = m[2] ?? '';
    if (frac !== '') v += (BigInt(frac) * scale) / 10n ** BigInt(frac.length);
    total += v;
    if (total > INT64_MAX + (neg ? 1n : 0n)) throw invalid();
  }
  return neg ? -total : total;
}

/** time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
export function durationString(d: bigint): string {
  if (d === 0n) return '0s';
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  const fracText = (v: bigint, digits: number): [string, bigint] => {
    let s = '';
    let print = false;
    for (let i = 0; i < digits; i++) {
      const digit = v % 10n;
      print = print || digit !== 0n;
      if (print) s = digit.toString() + s;
      v /= 10n;
    }
    return [print ? '.' + s : '', v];
  };
  if (u < 1000000000n) {
    // Sub-second values use a smaller unit: ns, µs or ms.
    if (u < 1000n) return (neg ? '-' : '') + u.toString() + 'ns';
    const [unit, digits] = u < 1000000n ? ['µs', 3] : ['ms', 6];
    const [frac, whole] = fracText(u, digits);
    out = whole.toString() + frac + unit;
  } else {
    const [frac, secsAll] = fracText(u, 9);
    u = secsAll;
    out = (u % 60n).toString() + frac + 's';
    u /= 60n;
    if (u > 0n) {
      out = (u % 60n).toString() + 'm' + out;
      u /= 60n;
      if (u > 0n) out = u.toString() + 'h' + out;
    }
  }
  return (neg ? '-' : '') + out;
}
