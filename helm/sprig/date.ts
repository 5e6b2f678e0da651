// Sprig's date.go over Go's time package (helm/template/time.ts). "now", and dates that are not
// a time or an int, come from the render's entropy source clock (random.ts), so a seeded render
// is reproducible.
import { goFunc } from '../template/func.js';
import {
  durationString, formatTime, loadLocation, localZone, parseDuration, parseTime,
} from '../template/time.js';
import { GO_ZERO_TIME_MS, GoInt, GoTime, typeName } from '../template/value.js';
import { nowMs } from './random.js';

// --- Sprig's functions ---

/** A date argument as Sprig reads it: time.Time, or Unix seconds as int/int32/int64; else now. */
function toTime(date: unknown, allowInt32: boolean): GoTime {
  if (date instanceof GoTime) return date;
  if (date instanceof GoInt && (date.kind === 'int' || date.kind === 'int64' || (allowInt32 && date.kind === 'int32'))) {
    return new GoTime(Number(date.value) * 1000, 0, localZone());
  }
  return now();
}

export function now(): GoTime {
  return new GoTime(nowMs(), 0, localZone());
}

function dateInZone(layout: string, date: unknown, zone: string): string {
  const t = toTime(date, true);
  const loc = loadLocation(zone) ?? 'UTC';
  return formatTime(new GoTime(t.ms, t.nanos, loc), layout);
}

function goTimeAdd(t: GoTime, nanos: bigint): GoTime {
  const total = BigInt(t.nanos) + nanos;
  const msDelta = total / 1000000n - (total % 1000000n < 0n ? 1n : 0n);
  const rest = Number(total - msDelta * 1000000n);
  return new GoTime(t.ms + Number(msDelta), rest, t.zone);
}

/** Round a duration to a multiple of `m`, halfway away from zero (time.Duration.Round). */
function roundDuration(d: bigint, m: bigint): bigint {
  let r = d % m;
  if (d < 0n) {
    r = -r;
    if (r + r < m) return d + r;
    return d - m + r;
  }
  if (r + r < m) return d - r;
  return d + m - r;
}

function sinceNanos(t: GoTime): bigint {
  return (BigInt(nowMs()) - BigInt(t.ms)) * 1000000n - BigInt(t.nanos);
}

function dateAgo(date: unknown): string {
  return durationString(roundDuration(sinceNanos(toTime(date, false)), 1000000000n));
}

function durationRound(duration: unknown): string {
  let d = 0n;
  if (typeof duration === 'string') {
    try { d = parseDuration(duration); } catch { d = 0n; }
  } else if (duration instanceof GoInt && duration.kind === 'int64') {
    d = duration.value;
  } else if (duration instanceof GoTime) {
    d = sinceNanos(duration);
  }
  const u = d < 0n ? -d : d;
  const hour = 3600000000000n;
  const units: [bigint, string][] = [
    [hour * 24n * 365n, 'y'], [hour * 24n * 30n, 'mo'], [hour * 24n, 'd'], [hour, 'h'], [60000000000n, 'm'], [1000000000n, 's'],
  ];
  for (const [size, suffix] of units) if (u > size) return (u / size).toString() + suffix;
  return '0s';
}

function duration(sec: unknown): string {
  let n = 0n;
  if (typeof sec === 'string') n = /^[+-]?\d+$/.test(sec) ? BigInt(sec) : 0n;
  else if (sec instanceof GoInt && sec.kind === 'int64') n = sec.value;
  return durationString(BigInt.asIntN(64, n * 1000000000n));
}

function dateModify(fmt: string, date: GoTime): GoTime {
  return goTimeAdd(date, parseDuration(fmt));
}

const S = 'string' as const;
const A = 'interface{}' as const;


/** A time.Time parameter: Go rejects anything else before the call. */
function timeArg(v: unknown): GoTime {
  if (v instanceof GoTime) return v;
  throw new Error(`wrong type for value; expected time.Time; got ${typeName(v)}`);
}

export const dateFuncs = {
  ago: goFunc({ params: [A] }, dateAgo),
  date: goFunc({ params: [S, A] }, (fmt: string, date: unknown) => dateInZone(fmt, date, 'Local')),
  date_in_zone: goFunc({ params: [S, A, S] }, dateInZone),
  dateInZone: goFunc({ params: [S, A, S] }, dateInZone),
  date_modify: goFunc({ params: [S, A] }, (fmt: string, date: unknown) => {
    const t = timeArg(date);
    try { return dateModify(fmt, t); } catch { return t; }
  }),
  dateModify: goFunc({ params: [S, A] }, (fmt: string, date: unknown) => {
    const t = timeArg(date);
    try { return dateModify(fmt, t); } catch { return t; }
  }),
  must_date_modify: goFunc({ params: [S, A], results: 2 }, (fmt: string, date: unknown) => dateModify(fmt, timeArg(date))),
  mustDateModify: goFunc({ params: [S, A], results: 2 }, (fmt: string, date: unknown) => dateModify(fmt, timeArg(date))),
  duration: goFunc({ params: [A] }, duration),
  durationRound: goFunc({ params: [A] }, durationRound),
  htmlDate: goFunc({ params: [A] }, (date: unknown) => dateInZone('2006-01-02', date, 'Local')),
  htmlDateInZone: goFunc({ params: [A, S] }, (date: unknown, zone: string) => dateInZone('2006-01-02', date, zone)),
  mustToDate: goFunc({ params: [S, S], results: 2 }, (fmt: string, str: string) => parseTime(fmt, str, localZone())),
  // The zero time.Time on a parse error, as Go's toDate ignores it.
  toDate: goFunc({ params: [S, S] }, (fmt: string, str: string) => {
    try { return parseTime(fmt, str, localZone()); } catch { return new GoTime(GO_ZERO_TIME_MS, 0, 'UTC'); }
  }),
  now: goFunc({ params: [] }, now),
  unixEpoch: goFunc({ params: [A] }, (date: unknown) => String(Math.floor(timeArg(date).ms / 1000))),
};

