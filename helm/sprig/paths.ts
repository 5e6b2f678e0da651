// Sprig's path functions: Go's path package (slash-separated) and path/filepath, which on the
// Linux hosts Helm runs on is the same thing.
import { goFunc } from '../template/func.js';

/** path.Clean: the shortest equivalent path (., .., duplicate slashes resolved lexically). */
export function clean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(part);
  }
  const joined = parts.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** path.Base: the last element, trailing slashes removed; "" is "." and all slashes "/". */
export function base(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** path.Dir: everything but the last element, cleaned. */
export function dir(p: string): string {
  return clean(p.slice(0, p.lastIndexOf('/') + 1));
}

/** path.Ext: the suffix from the final dot of the last element. */
export function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) {
    if (p[i] === '.') return p.slice(i);
  }
  return '';
}

const S = 'string' as const;

export const pathFuncs = {
  base: goFunc({ params: [S] }, base),
  dir: goFunc({ params: [S] }, dir),
  clean: goFunc({ params: [S] }, clean),
  ext: goFunc({ params: [S] }, ext),
  isAbs: goFunc({ params: [S] }, (p: string) => p.startsWith('/')),
  osBase: goFunc({ params: [S] }, base),
  osClean: goFunc({ params: [S] }, clean),
  osDir: goFunc({ params: [S] }, dir),
  osExt: goFunc({ params: [S] }, ext),
  osIsAbs: goFunc({ params: [S] }, (p: string) => p.startsWith('/')),
};
