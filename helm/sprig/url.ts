// Sprig's urlParse/urlJoin over Go's net/url: Parse's splitting (scheme, opaque, authority,
// userinfo, path unescaping, raw query, fragment) and URL.String's re-escaping.
import { goFunc } from '../template/func.js';
import { kindName } from './reflect.js';

type Mode = 'path' | 'host' | 'userPassword' | 'fragment';

function shouldEscape(c: string, mode: Mode): boolean {
  if (/[a-zA-Z0-9]/.test(c)) return false;
  if (mode === 'host' && `!$&'()*+,;=:[]<>"`.includes(c)) return false;
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    switch (mode) {
      case 'path': return c === '?';
      case 'userPassword': return c === '@' || c === '/' || c === '?' || c === ':';
      case 'fragment': return false;
      default: break;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}

function escape(s: string, mode: Mode): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && !shouldEscape(c, mode) ? c : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function unescape(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw new Error(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(s[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

interface Userinfo { username: string; password?: string }

interface GoURL {
  scheme: string;
  opaque: string;
  user?: Userinfo;
  host: string;
  path: string;
  rawQuery: string;
  forceQuery: boolean;
  fragment: string;
  omitHost: boolean;
}

function userinfoString(u: Userinfo): string {
  let s = escape(u.username, 'userPassword');
  if (u.password !== undefined) s += ':' + escape(u.password, 'userPassword');
  return s;
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new Error('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new Error("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new Error(`invalid port ${JSON.stringify(colonPort)} after host`);
    return unescape(host);
  }
  const i = host.lastIndexOf(':');
  if (i !== -1) {
    const colonPort = host.slice(i);
    if (!validOptionalPort(colonPort)) throw new Error(`invalid port ${JSON.stringify(colonPort)} after host`);
  }
  return unescape(host);
}

function parseAuthority(authority: string): { user?: Userinfo; host: string } {
  const i = authority.lastIndexOf('@');
  const host = parseHost(i < 0 ? authority : authority.slice(i + 1));
  if (i < 0) return { host };
  const userinfo = authority.slice(0, i);
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new Error('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon < 0) return { user: { username: unescape(userinfo) }, host };
  return { user: { username: unescape(userinfo.slice(0, colon)), password: unescape(userinfo.slice(colon + 1)) }, host };
}

/** Go's url.Parse. */
export function parseURL(rawURL: string): GoURL {
  const hash = rawURL.indexOf('#');
  const u = hash < 0 ? rawURL : rawURL.slice(0, hash);
  const frag = hash < 0 ? '' : rawURL.slice(hash + 1);
  const url: GoURL = { scheme: '', opaque: '', host: '', path: '', rawQuery: '', forceQuery: false, fragment: '', omitHost: false };
  try {
    if (/[\x00-\x1f\x7f]/.test(u)) throw new Error('net/url: invalid control character in URL');
    if (u === '*') {
      url.path = '*';
    } else {
      let rest: string;
      [url.scheme, rest] = getScheme(u);
      url.scheme = url.scheme.toLowerCase();
      if (rest.endsWith('?') && rest.split('?').length === 2) {
        url.forceQuery = true;
        rest = rest.slice(0, -1);
      } else {
        const q = rest.indexOf('?');
        if (q >= 0) {
          url.rawQuery = rest.slice(q + 1);
          rest = rest.slice(0, q);
        }
      }
      if (!rest.startsWith('/') && url.scheme !== '') {
        url.opaque = rest;
        rest = '';
      } else {
        if (!rest.startsWith('/') && rest.split('/')[0]!.includes(':')) {
          throw new Error('first path segment in URL cannot contain colon');
        }
        if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
          let authority = rest.slice(2);
          rest = '';
          const slash = authority.indexOf('/');
          if (slash >= 0) {
            rest = authority.slice(slash);
            authority = authority.slice(0, slash);
          }
          const a = parseAuthority(authority);
          url.user = a.user;
          url.host = a.host;
        } else if (url.scheme !== '' && rest.startsWith('/')) {
          url.omitHost = true;
        }
        url.path = unescape(rest);
      }
    }
  } catch (e) {
    throw new Error(`parse ${JSON.stringify(u)}: ${(e as Error).message}`);
  }
  if (frag !== '') {
    try {
      url.fragment = unescape(frag);
    } catch (e) {
      throw new Error(`parse ${JSON.stringify(rawURL)}: ${(e as Error).message}`);
    }
  }
  return url;
}

/** Go's URL.String. */
export function formatURL(u: GoURL): string {
  let buf = '';
  if (u.scheme !== '') buf += u.scheme + ':';
  if (u.opaque !== '') {
    buf += u.opaque;
  } else {
    if (u.scheme !== '' || u.host !== '' || u.user !== undefined) {
      if (!(u.omitHost && u.host === '' && u.user === undefined)) {
        if (u.host !== '' || u.path !== '' || u.user !== undefined) buf += '//';
        if (u.user !== undefined) buf += userinfoString(u.user) + '@';
        if (u.host !== '') buf += escape(u.host, 'host');
      }
    }
    const path = u.path === '*' ? '*' : escape(u.path, 'path');
    if (path !== '' && path[0] !== '/' && u.host !== '') buf += '/';
    if (buf.length === 0 && path.split('/')[0]!.includes(':')) buf += './';
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== '') buf += '?' + u.rawQuery;
  if (u.fragment !== '') buf += '#' + escape(u.fragment, 'fragment');
  return buf;
}

function hostname(host: string): string {
  let h = host;
  const colon = h.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(h.slice(colon))) h = h.slice(0, colon);
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h;
}

function urlParse(v: string): Record<string, unknown> {
  let u: GoURL;
  try {
    u = parseURL(v);
  } catch (e) {
    throw new Error(`unable to parse url: ${(e as Error).message}`);
  }
  return {
    scheme: u.scheme,
    host: u.host,
    hostname: hostname(u.host),
    path: u.path,
    query: u.rawQuery,
    opaque: u.opaque,
    fragment: u.fragment,
    userinfo: u.user === undefined ? '' : userinfoString(u.user),
  };
}

function dictGetOrEmpty(d: Record<string, unknown>, key: string): string {
  if (!Object.prototype.hasOwnProperty.call(d, key)) return '';
  const value = d[key];
  if (value === null || value === undefined) throw new Error('runtime error: invalid memory address or nil pointer dereference');
  if (typeof value !== 'string') {
    throw new Error(`unable to parse ${key} key, must be of type string, but ${kindName(value)} found`);
  }
  return value;
}

function urlJoin(d: Record<string, unknown>): string {
  const u: GoURL = {
    scheme: dictGetOrEmpty(d, 'scheme'),
    host: dictGetOrEmpty(d, 'host'),
    path: dictGetOrEmpty(d, 'path'),
    rawQuery: dictGetOrEmpty(d, 'query'),
    opaque: dictGetOrEmpty(d, 'opaque'),
    fragment: dictGetOrEmpty(d, 'fragment'),
    forceQuery: false,
    omitHost: false,
  };
  const userinfo = dictGetOrEmpty(d, 'userinfo');
  if (userinfo !== '') {
    try {
      u.user = parseURL(`proto://${userinfo}@host`).user;
    } catch (e) {
      throw new Error(`unable to parse userinfo in dict: ${(e as Error).message}`);
    }
  }
  return formatURL(u);
}

export const urlFuncs = {
  urlParse: goFunc({ params: ['string'] }, urlParse),
  urlJoin: goFunc({ params: ['map[string]interface{}'] }, urlJoin),
};
