// releaseutil.SplitManifests (Helm v3.19): the stream is trimmed, split at `---` lines, empty
// documents dropped and each document trimmed with strings.TrimSpace.
import { goTrimSpace, splitManifests } from '../../../helm/encoding/yaml.js';

describe('splitManifests', () => {
  test('documents in order, separators and blank documents gone', () => {
    expect(splitManifests('\n---\n# Source: a\nx: 1\n---   \n\ny: 2\n---\n')).toEqual(['# Source: a\nx: 1', 'y: 2']);
    expect(splitManifests('a: 1')).toEqual(['a: 1']);
    expect(splitManifests('  \n\n')).toEqual([]);
  });

  test('the separator needs a line break before it, or the start of the stream', () => {
    expect(splitManifests('a: "x---y"\nb: |\n  text --- more\n')).toEqual(['a: "x---y"\nb: |\n  text --- more']);
    // Blanks after `---` are consumed, so a `---` right after them is not a separator.
    expect(splitManifests('a: 1\n---\n\n---\nb: 2')).toEqual(['a: 1', '---\nb: 2']);
  });

  test('strings.TrimSpace: NEL is space, a BOM is not', () => {
    expect(goTrimSpace('\u0085\u00a0 a \u2028\t')).toBe('a');
    expect(goTrimSpace('\ufeffa')).toBe('\ufeffa');
  });
});
