// The two glob dialects Argo CD's project checks use, as Go implements them. A general-purpose
// JS glob library (picomatch, minimatch) is path-oriented (dot files, globstars, extglobs) and
// would accept or refuse names Argo CD does not, so the two small grammars are written out here.

const escapeRegExp = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/**
 * Go's path/filepath.Match (group, kind and name globs of AppProject whitelists/blacklists):
 * `*` any run of non-`/` characters, `?` one, `[...]`/`[^...]` a class, `\` escapes.
 * A malformed pattern matches nothing, as Argo CD ignores Match's error.
 */
export function filepathMatch(pattern: string, name: string): boolean {
  const re = compile(pattern, { separators: '/', braces: false, doubleStar: false, negation: '^' });
  return re !== undefined && re.test(name);
}

/**
 * github.com/gobwas/glob as Argo CD's util/glob calls it (destinations, source repositories,
 * resource exclusions): `*` any run of characters other than the separators (any run when there
 * are none), `**` any run, `?` one, `[...]`/`[!...]` a class, `{a,b}` alternatives.
 */
export function gobwasMatch(pattern: string, value: string, separators = ''): boolean {
  const re = compile(pattern, { separators, braces: true, doubleStar: true, negation: '!' });
  return re !== undefined && re.test(value);
}

interface Dialect { separators: string; braces: boolean; doubleStar: boolean; negation: string }

const cache = new Map<string, RegExp | undefined>();

function compile(pattern: string, d: Dialect): RegExp | undefined {
  const key = `${JSON.stringify(d)}\0${pattern}`;
  if (cache.has(key)) return cache.get(key);
  let re: RegExp | undefined;
  try {
    re = new RegExp(`^${translate(pattern, d)}$`, 's');
  } catch {
    re = undefined;
  }
  cache.set(key, re);
  return re;
}

function translate(p: string, d: Dialect): string {
  const notSep = d.separators ? `[^${escapeRegExp(d.separators)}]` : '.';
  let out = '';
  let depth = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      if (i + 1 >= p.length) throw new Error('trailing escape');
      out += escapeRegExp(p[++i]);
    } else if (c === '*') {
      if (d.doubleStar && p[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += `${notSep}*`;
    } else if (c === '?') {
      out += notSep;
    } else if (c === '[') {
      const end = p.indexOf(']', i + 2);
      if (end < 0) throw new Error('unclosed class');
      let body = p.slice(i + 1, end);
      const negated = body.startsWith(d.negation);
      if (negated) body = body.slice(1);
      out += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (d.braces && c === '{') {
      out += '(?:';
      depth++;
    } else if (d.braces && c === '}' && depth > 0) {
      out += ')';
      depth--;
    } else if (d.braces && c === ',' && depth > 0) {
      out += '|';
    } else {
      out += escapeRegExp(c);
    }
  }
  if (depth !== 0) throw new Error('unclosed brace');
  return out;
}
