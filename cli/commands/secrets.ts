import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../primitives/errors.js';
import { redactSecrets } from '../../primitives/redact.js';
import { EXAMPLES_FILE, NOW_ENV, clockOf } from '../../secret-store/clock.js';
import {
  type SopsFormat,
  type SopsRules,
  findCreationRule,
  findSopsConfig,
  formatFromPath,
  loadAgeIdentities,
  parseFormat,
  selectBackend,
  splitRecipients,
} from '../../sops/index.js';
import { effectiveRules } from '../../sops/rules.js';

function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function formatOf(file: string, inputType?: string): SopsFormat {
  return inputType ? parseFormat(inputType, '--input-type') : formatFromPath(file);
}

interface EncryptFlags {
  age?: string;
  filenameOverride?: string;
  inputType?: string;
  config?: string;
  encryptedRegex?: string;
  unencryptedRegex?: string;
  encryptedSuffix?: string;
  unencryptedSuffix?: string;
  macOnlyEncrypted?: boolean;
}

/**
 * Recipients and rules for encrypting `file`, as sops combines them: --age (or SOPS_AGE_RECIPIENTS)
 * replaces the rule's keys; each rule setting comes from its flag when given, else from the
 * matching creation rule of the nearest .sops.yaml (searched upwards from the file's folder).
 */
export function encryptSettings(file: string, o: EncryptFlags, env: NodeJS.ProcessEnv = process.env): { recipients: string[]; rules: SopsRules } {
  const config = o.config ?? env.SOPS_CONFIG ?? findSopsConfig(dirname(resolve(file)));
  const fromFlags = o.age ?? env.SOPS_AGE_RECIPIENTS;
  let rule: ReturnType<typeof findCreationRule>;
  try {
    rule = config ? findCreationRule(config, resolve(file)) : undefined;
  } catch (e) {
    // Recipients given on the command line need no rule: only a file that relies on one fails.
    if (!(fromFlags !== undefined && e instanceof UserError && e.message.includes('no creation rule matches'))) throw e;
  }
  const flagRules: SopsRules = {
    encrypted_regex: o.encryptedRegex,
    unencrypted_regex: o.unencryptedRegex,
    encrypted_suffix: o.encryptedSuffix,
    unencrypted_suffix: o.unencryptedSuffix,
  };
  const rules: SopsRules = { ...(rule?.rules ?? {}) };
  for (const [k, v] of Object.entries(flagRules)) if (v !== undefined) (rules as Record<string, unknown>)[k] = v;
  if (o.macOnlyEncrypted) rules.mac_only_encrypted = true;
  effectiveRules(rules, rule ? `${file} (with ${rule.source} creation_rules[${rule.index}])` : file);
  const recipients = fromFlags !== undefined ? splitRecipients(fromFlags) : (rule?.age ?? []);
  if (recipients.length === 0) {
    if (rule && rule.otherKeys.length) {
      throw new UserError(`${rule.source}: creation_rules[${rule.index}] names only ${rule.otherKeys.join(', ')} keys; infra-synth encrypts to age recipients (add age: to the rule or pass --age)`);
    }
    throw new UserError(`${file}: no age recipients: pass --age age1...[,age1...] or add a creation rule with age: to a .sops.yaml above the file`);
  }
  return { recipients, rules };
}

export function register(program: Command): void {
  const secrets = program
    .command('secrets')
    .summary('a cluster\'s encrypted secrets (add, edit, rotate, audit) and SOPS files (encrypt, decrypt)')
    .description(
      'SOPS files encrypted to age recipients, shaped like the sops CLI. Uses the real sops binary ' +
        'when INFRA_SYNTH_SOPS names one or sops is on PATH, and the built-in implementation of the ' +
        'SOPS v3 format otherwise (INFRA_SYNTH_SOPS=builtin forces it). Files from either read with the other.',
    );

  secrets
    .command('decrypt')
    .summary('print the plaintext of a SOPS file')
    .description(
      'Decrypts FILE, verifies its MAC (a tampered file is refused) and prints the plaintext in the ' +
        "file's own format. The store comes from the extension (.yaml/.yml, .json, .env, anything " +
        'else is binary) unless --input-type says otherwise. age identities are read as sops reads ' +
        'them: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, then $XDG_CONFIG_HOME/sops/age/keys.txt (default ~/.config/sops/age/keys.txt).',
    )
    .argument('<file>', 'the encrypted file')
    .option('--input-type <type>', 'yaml, json, dotenv or binary (default: from the extension)')
    .addHelpText(
      'after',
      `
Examples:
  $ SOPS_AGE_KEY_FILE=~/keys/prod.txt infra-synth secrets decrypt secrets/prod-1/db.enc.yaml
  $ infra-synth secrets decrypt --input-type dotenv app.txt

Exit codes: 0 decrypted, 2 no usable key, malformed or tampered file (one line on stderr).
`,
    )
    .action(async (file: string, o: { inputType?: string }) => {
      const format = formatOf(file, o.inputType);
      const input = readInput(file);
      const backend = selectBackend();
      const res = await backend.decrypt(input, { format, identities: loadAgeIdentities(), name: file });
      process.stdout.write(res.bytes);
    });

  secrets
    .command('encrypt')
    .summary('print FILE encrypted with SOPS to age recipients')
    .description(
      'Encrypts FILE and prints the SOPS file. Recipients come from --age (or SOPS_AGE_RECIPIENTS), ' +
        'else from the first creation rule of the nearest .sops.yaml (searched from the folder of ' +
        'FILE upwards) whose path_regex matches FILE (or --filename-override, the path the file will ' +
        'have); without --age, a .sops.yaml whose rules match nothing is an error, as in sops. Rule ' +
        'settings (encrypted_regex, ...) come from their flags, else from that rule, else sops\' default ' +
        '(unencrypted_suffix: _unencrypted). Nothing is written to disk. For a cluster\'s secret, ' +
        '`infra-synth secrets add` builds the SopsSecret for you.',
    )
    .argument('<file>', 'the plaintext file')
    .option('--age <recipients>', 'comma-separated age public keys (age1...)')
    .option('--input-type <type>', 'yaml, json, dotenv or binary (default: from the extension)')
    .option('--config <path>', 'the .sops.yaml to use instead of searching for one')
    .option('--filename-override <path>', 'find the creation rule and the format for this path instead of FILE (as sops does)')
    .option('--encrypted-regex <re>', 'encrypt only values under a key matching this regex')
    .option('--unencrypted-regex <re>', 'leave values under a key matching this regex in clear')
    .option('--encrypted-suffix <s>', 'encrypt only values under a key ending with this suffix')
    .option('--unencrypted-suffix <s>', 'leave values under a key ending with this suffix in clear')
    .option('--mac-only-encrypted', 'compute the MAC over encrypted values only')
    .addHelpText(
      'after',
      `
Examples:
  $ infra-synth secrets encrypt --age age1abc...,age1def... --encrypted-regex '^(data|stringData)$' secret.yaml > secret.enc.yaml
  # A SopsSecret for dev's monitoring/grafana-admin, to the recipients and rules .sops.yaml gives its path:
  $ infra-synth secrets encrypt --filename-override secrets/dev/monitoring/grafana-admin.enc.yaml grafana-admin.yaml > secrets/dev/monitoring/grafana-admin.enc.yaml

Exit codes: 0 encrypted, 2 bad input (no recipients, not an age public key, no matching creation
rule, already encrypted, malformed file).
`,
    )
    .action(async (file: string, o: EncryptFlags) => {
      const as = o.filenameOverride ?? file;
      const format = formatOf(as, o.inputType);
      const input = readInput(file);
      const { recipients, rules } = encryptSettings(as, o);
      const backend = selectBackend();
      const out = await backend.encrypt(input, { format, recipients, rules, name: file });
      process.stdout.write(out);
    });

  registerFleetSecrets(secrets);
}

interface FleetFlags {
  overlays: string;
  secrets?: string;
}

const FLEET_HELP = `
Secrets live in secrets/<cluster>/<namespace>/<name>.enc.yaml (next to overlays/), each a
SopsSecret (sops-secrets-operator) encrypted with encrypted_suffix: Templates to the cluster's
overlay secrets.ageRecipients. synth carries them into clusters/<cluster>/secrets/ unchanged.
A management cluster's (its providers' credentials) live in management-secrets/<mgmt>/, encrypted
to overlays/management/<mgmt>.ts secrets.ageRecipients, and go to management/<mgmt>/bootstrap/secrets/.`;

function withFleetOptions(cmd: Command): Command {
  return cmd
    .option('--overlays <dir>', 'folder of overlay files', 'overlays')
    .option('--secrets <dir>', 'folder of encrypted secrets (default: secrets/ next to the overlays folder)');
}

/**
 * The overlays, the secrets folders and the management clusters (overlays/management/, whose
 * secrets are in management-secrets/). With `only`, that one cluster's overlay is loaded, or,
 * when `only` names a management cluster instead, the whole fleet (it decides which credentials
 * the management cluster needs) and `management` is set.
 */
async function fleetContext(o: FleetFlags, only?: string) {
  const [{ loadFleet }, { listOverlayFiles }, manage, store, { loadManagements, managementOverlaysDir }, { managementSecretsDir }] = await Promise.all([
    import('../../spec/load.js'),
    import('../../spec/overlay-files.js'),
    import('../../pipeline/secrets/manage.js'),
    import('../../secret-store/store.js'),
    import('../../spec/management.js'),
    import('../../pipeline/infra-stacks.js'),
  ]);
  const managementSpecs = await loadManagements(o.overlays);
  const managements = { specs: managementSpecs, dir: managementSecretsDir(o.overlays) };
  const management = only ? managementSpecs.find((m) => m.name === only) : undefined;
  const known = listOverlayFiles(o.overlays).map((f) => basename(f, '.ts'));
  if (only && !management && !known.includes(only)) {
    const mgmt = managementSpecs.length ? `; management clusters (${managementOverlaysDir(o.overlays)}): ${managementSpecs.map((m) => m.name).join(', ')}` : '';
    throw new UserError(`${only}: no such cluster (no ${join(o.overlays, `${only}.ts`)}; clusters: ${known.join(', ')}${mgmt})`);
  }
  const specs = await loadFleet(o.overlays, only && !management ? [only] : undefined);
  return { specs, manage, secretsDir: o.secrets ?? store.defaultSecretsDir(o.overlays), managements, management };
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** The fleet subcommands: add, edit, rotate, audit. */
export function registerFleetSecrets(secrets: Command): void {
  withFleetOptions(secrets
    .command('add')
    .summary("create a cluster's encrypted secret")
    .description(
      'Creates secrets/<cluster>/<namespace>/<name>.enc.yaml: a SopsSecret whose one template makes the ' +
        'Secret <name>, encrypted to the cluster\'s recipients. The plaintext is built in memory and never ' +
        'written to disk. --namespace and --type default to what the component that reads <name> needs.' + FLEET_HELP,
    )
    .argument('<cluster>', 'the cluster (its overlay gives the recipients), or a management cluster (overlays/management/<name>.ts; the file goes to management-secrets/)')
    .argument('<name>', 'the Secret name')
    .option('--namespace <ns>', 'namespace of the Secret')
    .option('--type <type>', 'Secret type, e.g. kubernetes.io/tls (default Opaque)')
    .option('--from-literal <key=value>', 'a value (repeatable)', collect)
    .option('--from-file <key=path>', "a file's content as the value (repeatable)", collect))
    .addHelpText('after', `
Examples:
  $ infra-synth secrets add onprem-prod company-ca-key-pair --type kubernetes.io/tls \\
      --from-file tls.crt=ca.crt --from-file tls.key=ca.key
  $ infra-synth secrets add yc-prod yandex-dns-editor --namespace external-dns --from-file key.json=key.json
  $ infra-synth secrets add onprem-prod rfc2136-tsig --namespace external-dns --from-literal secret="$TSIG"
  $ infra-synth secrets add mgmt yc-credentials --from-file key.json=crossplane-key.json   # a management cluster's

Exit codes: 0 created, 2 bad input (unknown cluster, file exists, no values, bad recipient).
`)
    .action(async (cluster: string, name: string, o: FleetFlags & { namespace?: string; type?: string; fromLiteral?: string[]; fromFile?: string[] }) => {
      const { specs, manage, secretsDir, managements, management } = await fleetContext(o, cluster);
      if (management) {
        const m = await manage.addManagementSecret({
          management, fleet: specs, dir: managements.dir, name, namespace: o.namespace, literals: o.fromLiteral, files: o.fromFile,
        });
        process.stdout.write(`created ${m.path} (Secret ${m.namespace}/${name} of management cluster ${cluster}); commit it, then run \`infra-synth synth\`\n`);
        return;
      }
      const r = await manage.addSecret({
        spec: manage.specOf(specs, cluster), secretsDir, name, namespace: o.namespace, type: o.type, literals: o.fromLiteral, files: o.fromFile,
      });
      process.stdout.write(`created ${r.path} (Secret ${r.namespace}/${name}); commit it, then run \`infra-synth synth\`\n`);
    });

  withFleetOptions(secrets
    .command('edit')
    .summary("edit a cluster's secret in $EDITOR")
    .description(
      'Decrypts the secret into a 0600 file in a private temporary folder, opens $VISUAL or $EDITOR ' +
        '(default vi), removes the folder, and re-encrypts (to the overlay\'s recipients) only when the ' +
        'content changed. Needs an identity: SOPS_AGE_KEY_FILE, SOPS_AGE_KEY or ~/.config/sops/age/keys.txt.' + FLEET_HELP,
    )
    .argument('<cluster>', 'the cluster')
    .argument('<name>', 'the Secret name')
    .option('--namespace <ns>', 'needed when the name exists in several namespaces'))
    .addHelpText('after', `
Examples:
  $ SOPS_AGE_KEY_FILE=~/keys/platform.txt infra-synth secrets edit onprem-prod rfc2136-tsig --namespace external-dns
  $ EDITOR="code --wait" infra-synth secrets edit yc-prod yandex-dns-editor --namespace cert-manager

Exit codes: 0 saved or unchanged, 2 no key, editor failed, or the result is not the same SopsSecret.
`)
    .action(async (cluster: string, name: string, o: FleetFlags & { namespace?: string }) => {
      const { specs, manage, secretsDir } = await fleetContext(o, cluster);
      const r = await manage.editSecret({ spec: manage.specOf(specs, cluster), secretsDir, name, namespace: o.namespace });
      process.stdout.write(r.changed ? `saved ${r.path}\n` : `${r.path}: unchanged, not re-encrypted\n`);
    });

  withFleetOptions(secrets
    .command('rotate')
    .summary('re-key secrets fleet-wide: recipients from the overlays, new data keys when due')
    .description(
      "Brings every secret in line with its cluster's overlay and the 90-day rotation: recipients only " +
        'added → updatekeys (same data key); a recipient removed, or the data key older than 90 days → a ' +
        'new data key (every value re-encrypted). --data-key gives every file a new data key (quarterly ' +
        'rotation, or after a key leak). Needs an identity that opens the files. Reports each changed file.' + FLEET_HELP,
    )
    .option('--cluster <name>', 'only this cluster (or management cluster)')
    .option('--data-key', 'a new data key for every (selected) file')
    .option('--allow-swap', 'rotate files whose recipients lose one and gain another at once (refused by default: the cluster could not decrypt them until it holds the new key; see docs/key-custody.md)')
    .option('--now <date>', `the clock the 90-day rotation is measured against, RFC 3339 (default: ${NOW_ENV}, else now)`))
    .addHelpText('after', `
Examples:
  $ SOPS_AGE_KEY_FILE=~/keys/platform.txt infra-synth secrets rotate
  $ infra-synth secrets rotate --cluster onprem-prod --data-key

Replacing a cluster's age key (quarterly), without a moment where the cluster cannot decrypt:
  1. add the new public key to the overlay's secrets.ageRecipients (old and new), then rotate;
  2. add the new private key to the cluster's sops-age-key Secret (keys.txt) next to the old one;
  3. remove the old public key from the overlay, rotate (new data keys), sync, then remove the
     old private key from the cluster. A swap in one run is refused unless --allow-swap.

Exit codes: 0 done (or nothing to do), 2 no identity, an unreadable or malformed file (nothing written).
`)
    .action(async (o: FleetFlags & { cluster?: string; dataKey?: boolean; allowSwap?: boolean; now?: string }) => {
      const now = clockOf(o.now);
      const { specs, manage, secretsDir, managements } = await fleetContext(o);
      const changes = await manage.rotateSecrets({ specs, secretsDir, managements, cluster: o.cluster, dataKey: o.dataKey, allowSwap: o.allowSwap, now });
      for (const c of changes) process.stdout.write(`${c.path}: ${c.action} (${c.why})\n`);
      process.stdout.write(changes.length ? `rotated ${changes.length} file(s); commit them, then run \`infra-synth synth\`\n` : 'nothing to rotate\n');
    });

  withFleetOptions(secrets
    .command('audit')
    .summary('CI check of the secrets, without any key')
    .description(
      'Lists files that are not SOPS-encrypted SopsSecrets, files whose recipients differ from their ' +
        "cluster's overlay, files whose data key is older than --max-age-days (quarterly rotation), secret " +
        'folders of clusters without an overlay, and a stale committed .sops.yaml. Needs no key.' + FLEET_HELP,
    )
    .option('--max-age-days <n>', 'rotation period', '90')
    .option('--now <date>', `the clock file ages are measured against, RFC 3339 (default: ${NOW_ENV}, else now)`))
    .addHelpText('after', `
Clusters listed in secrets/${EXAMPLES_FILE} hold example placeholders: their files' age is printed
as a note, not a finding (see docs/secrets.md).

Examples:
  $ infra-synth secrets audit
  $ infra-synth secrets audit --now 2027-06-01     # what the audit will say on that day
  $ npm run secrets:audit

Exit codes: 0 all files pass, 1 findings (one line each), 2 bad input (overlays).
`)
    .action(async (o: FleetFlags & { maxAgeDays: string; now?: string }) => {
      const max = Number(o.maxAgeDays);
      if (!Number.isFinite(max) || max <= 0) throw new UserError(`--max-age-days ${o.maxAgeDays}: expected a positive number of days`);
      const now = clockOf(o.now);
      const { specs, manage, secretsDir, managements } = await fleetContext(o);
      const r = manage.auditSecrets({ specs, secretsDir, managements, maxAgeDays: max, now });
      for (const n of r.notes) process.stdout.write(`note: ${redactSecrets(n)}\n`);
      for (const f of r.findings) process.stdout.write(`${redactSecrets(f)}\n`);
      process.stdout.write(r.findings.length ? `secrets audit: ${r.findings.length} finding(s), ${r.ok} file(s) ok\n` : `secrets audit: ${r.ok} file(s) ok\n`);
      if (r.findings.length) process.exitCode = 1;
    });
}
