// .sops.yaml creation rules and where age identities come from.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCreationRule, findSopsConfig } from '../../sops/config.js';
import { defaultAgeKeyFile, loadAgeIdentities } from '../../sops/identities.js';
import { type KeyPair, newKeyPair } from './keys.js';

let dir: string;
let a: KeyPair;
let b: KeyPair;

beforeAll(async () => {
  a = await newKeyPair();
  b = await newKeyPair();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sops-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = () => `creation_rules:
  - path_regex: clusters/prod-.*\\.enc\\.yaml$
    encrypted_regex: ^(data|stringData)$
    age: ${a.recipient},${b.recipient}
  - path_regex: \\.env$
    age:
      - ${b.recipient}
    mac_only_encrypted: true
  - path_regex: groups/
    key_groups:
      - age: [${a.recipient}]
        pgp: [FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4]
`;

describe('findCreationRule', () => {
  test('the first rule whose path_regex matches the path relative to the config folder wins', () => {
    writeFileSync(join(dir, '.sops.yaml'), CONFIG());
    const rule = findCreationRule(join(dir, '.sops.yaml'), join(dir, 'clusters/prod-1/db.enc.yaml'));
    expect(rule).toMatchObject({ index: 0, age: [a.recipient, b.recipient], rules: { encrypted_regex: '^(data|stringData)$' } });
  });

  test('age as a YAML list and mac_only_encrypted are read', () => {
    const rule = findCreationRule(CONFIG(), join(dir, 'app/.env'), { configDir: dir });
    expect(rule).toMatchObject({ index: 1, age: [b.recipient], rules: { mac_only_encrypted: true } });
  });

  test('a single key group gives its age recipients and names the other key kinds', () => {
    const rule = findCreationRule(CONFIG(), join(dir, 'groups/x.yaml'), { configDir: dir });
    expect(rule).toMatchObject({ index: 2, age: [a.recipient], otherKeys: ['pgp'] });
  });

  test('a config whose rules match nothing is a UserError naming the file and the patterns', () => {
    writeFileSync(join(dir, '.sops.yaml'), CONFIG());
    expect(() => findCreationRule(join(dir, '.sops.yaml'), join(dir, 'clusters/dev-1/db.enc.yaml'))).toThrow(
      /\.sops\.yaml: no creation rule matches clusters\/dev-1\/db\.enc\.yaml \(path_regex tried: clusters\/prod-/,
    );
  });

  test('a config without creation_rules applies no rule', () => {
    expect(findCreationRule('stores:\n  yaml:\n    indent: 2\n', join(dir, 'x.yaml'), { configDir: dir })).toBeUndefined();
  });

  test('a rule without path_regex matches every file', () => {
    expect(findCreationRule(`creation_rules:\n  - age: ${a.recipient}\n`, '/anywhere/x.json')?.age).toEqual([a.recipient]);
  });

  test('two rule settings in one rule are refused', () => {
    expect(() => findCreationRule('creation_rules:\n  - encrypted_regex: a\n    unencrypted_suffix: _u\n', 'x.yaml')).toThrow(
      /creation_rules\[0\]: only one of .* found encrypted_regex and unencrypted_suffix/,
    );
  });

  test('several key groups (Shamir) are refused with the reason', () => {
    const text = `creation_rules:\n  - key_groups:\n      - age: [${a.recipient}]\n      - age: [${b.recipient}]\n`;
    expect(() => findCreationRule(text, 'x.yaml')).toThrow(/2 key groups \(Shamir secret sharing\) need the sops CLI/);
  });

  test('malformed YAML and a bad creation_rules shape are UserErrors', () => {
    expect(() => findCreationRule('creation_rules: [\n', 'x.yaml')).toThrow(/not valid YAML/);
    expect(() => findCreationRule('creation_rules: yes-please\n', 'x.yaml')).toThrow(/creation_rules must be a list/);
  });
});

describe('findSopsConfig', () => {
  test('walks up from a folder to the nearest .sops.yaml', () => {
    mkdirSync(join(dir, 'a/b/c'), { recursive: true });
    writeFileSync(join(dir, 'a/.sops.yaml'), 'creation_rules: []\n');
    expect(findSopsConfig(join(dir, 'a/b/c'))).toBe(join(dir, 'a/.sops.yaml'));
  });

  test('ignores .sops.yml, as sops does', () => {
    writeFileSync(join(dir, '.sops.yml'), 'creation_rules: []\n');
    const found = findSopsConfig(dir);
    expect(found === undefined || !found.startsWith(dir)).toBe(true);
  });
});

describe('loadAgeIdentities', () => {
  const keyFile = (name: string, ...keys: string[]) => {
    const p = join(dir, name);
    writeFileSync(p, `# created: 2024-01-01\n# public key: whatever\n${keys.join('\n')}\n`);
    return p;
  };

  test('reads SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the default keys.txt, in that order, without duplicates', async () => {
    const c = await newKeyPair();
    mkdirSync(join(dir, 'xdg/sops/age'), { recursive: true });
    writeFileSync(join(dir, 'xdg/sops/age/keys.txt'), `${a.identity}\n`);
    const env = { SOPS_AGE_KEY: `# comment\n${c.identity}`, SOPS_AGE_KEY_FILE: keyFile('k.txt', b.identity, c.identity), XDG_CONFIG_HOME: join(dir, 'xdg'), HOME: dir };
    expect(loadAgeIdentities(env)).toEqual([c.identity, b.identity, a.identity]);
  });

  test('the default key file is $XDG_CONFIG_HOME/sops/age/keys.txt, else ~/.config/sops/age/keys.txt', () => {
    expect(defaultAgeKeyFile({ XDG_CONFIG_HOME: '/x' })).toBe('/x/sops/age/keys.txt');
    expect(defaultAgeKeyFile({ HOME: '/home/u' })).toBe('/home/u/.config/sops/age/keys.txt');
  });

  test('a missing SOPS_AGE_KEY_FILE is a UserError naming it', () => {
    expect(() => loadAgeIdentities({ SOPS_AGE_KEY_FILE: join(dir, 'nope.txt'), HOME: dir })).toThrow(/SOPS_AGE_KEY_FILE=.*nope\.txt: cannot read age key file .* \(ENOENT\)/);
  });

  test('a malformed key is refused without echoing key material', () => {
    const bad = a.identity.slice(0, -3) + 'qqq';
    let message = '';
    try {
      loadAgeIdentities({ SOPS_AGE_KEY: bad, HOME: dir });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe('SOPS_AGE_KEY: entry 1 is not a valid age identity (bad checksum or length)');
  });

  test('no source at all gives no identities', () => {
    expect(loadAgeIdentities({ HOME: dir })).toEqual([]);
  });
});
