// The YAML codecs Helm uses, as one import: sigs.k8s.io/yaml Marshal/Unmarshal (go-yaml v2
// underneath), go-yaml v3 for toYamlPretty, and Helm's manifest splitting.
export { marshal, marshalPretty, YAMLMarshalError } from './yaml-marshal.js';
export { YAMLUnmarshalError, type UnmarshalOptions, type UnmarshalTarget } from './yaml-unmarshal.js';
/** sigs.k8s.io/yaml.Unmarshal with every option (target, strict, keepInts). */
export { unmarshal as unmarshalWithOptions } from './yaml-unmarshal.js';
import { unmarshal as unmarshalWith, type UnmarshalTarget } from './yaml-unmarshal.js';

/**
 * sigs.k8s.io/yaml.Unmarshal into interface{} (or, with `target`, into the map or slice Helm
 * passes): numbers become float64, non-string keys strings. Throws YAMLUnmarshalError.
 */
export function unmarshal(text: string, target: UnmarshalTarget = 'any'): unknown {
  return unmarshalWith(text, { target });
}

/** sigs.k8s.io/yaml.UnmarshalStrict: as `unmarshal`, but a repeated key is an error. */
export function unmarshalStrict(text: string, target: UnmarshalTarget = 'any'): unknown {
  return unmarshalWith(text, { target, strict: true });
}

// releaseutil's separator: `---` at the start or after a line break, with the blanks around it.
const MANIFEST_SEPARATOR = /(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*/;

/**
 * releaseutil.SplitManifests: the documents of a rendered stream in order, trimmed, empty
 * ones dropped (Helm names them manifest-0, manifest-1, ...).
 */
export function splitManifests(bigFile: string): string[] {
  const docs: string[] = [];
  for (const d of goTrimSpace(bigFile).split(MANIFEST_SEPARATOR)) {
    if (d === '') continue;
    docs.push(goTrimSpace(d));
  }
  return docs;
}

// unicode.IsSpace: unlike String.prototype.trim, NEL counts and a BOM does not.
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const GO_TRIM = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g');

/** strings.TrimSpace. */
export function goTrimSpace(s: string): string {
  return s.replace(GO_TRIM, '');
}
