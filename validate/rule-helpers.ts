// What every fleet rule needs to read manifests and report on them.
import { objectRef, type Manifest } from '../primitives/manifests.js';
import type { Finding } from './finding.js';

/** A finding about one object: its cluster, file and reference, the JSON path and the message. */
export const finding = (m: Manifest, path: string, message: string): Finding => ({
  cluster: m.cluster, file: m.file, object: objectRef(m.object), path, message,
});

/** The API group of an object (`''` for the core group). */
export const groupOf = (m: Manifest) => String(m.object.apiVersion ?? '').split('/').slice(0, -1).join('/');
export const isKind = (m: Manifest, group: string, kind: string) => m.object.kind === kind && groupOf(m) === group;
export const nsOf = (m: Manifest) => String(m.object.metadata?.namespace ?? '');
export const nameOf = (m: Manifest) => String(m.object.metadata?.name ?? '');
