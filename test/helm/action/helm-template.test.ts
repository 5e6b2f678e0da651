// helm v3.19.5 `helm template` / `helm install` command cases (cmd/helm template_test.go,
// install_test.go) against their goldens, one jest test per case. The upstream environment:
// namespace default, KubeVersion v1.20.0, an in-memory release store, a fake cluster, install
// time fixed at Unix 242085845.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadChart } from '../../../helm/chart/load.js';
import { InstallError, installChart } from '../../../helm/action/install.js';
import { formatANSIC, printStatus, templateOutput } from '../../../helm/action/render.js';
import { mergeUserValues } from '../../../helm/action/template.js';
import { sprigFuncMap } from '../../../helm/sprig/index.js';
import { Template } from '../../../helm/template/template.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';
import { skipReason } from '../conformance-skips.js';

const DIR = 'helm/conformance/helm-template';
const INSTALL_TIME = formatANSIC(new Date(242085845 * 1000));

interface CommandArgs {
  command: 'template' | 'install';
  chart?: string;
  releaseName?: string;
  releaseNameDefault?: string;
  nameTemplate?: string;
  namespace?: string;
  values?: string[];
  set?: string[];
  kubeVersion?: string;
  apiVersions?: string[];
  showOnly?: string[];
  include_crds?: boolean;
  skip_tests?: boolean;
  debug?: boolean;
  dry_run?: boolean;
  hide_secret?: boolean;
  no_hooks?: boolean;
  skip_schema_validation?: boolean;
}

interface CommandCase {
  test: string;
  name: string;
  cmd: string | null;
  args?: CommandArgs;
  wantError: boolean;
  golden?: string;
  skipReason?: string;
  note?: string;
}

// action.TemplateName: the --name-template text executed with Sprig and no data.
function templateName(nameTemplate: string): string {
  return Template.new('name-template').funcs(sprigFuncMap()).parse(nameTemplate).execute(null);
}

/** What the command prints (stdout and stderr, as the upstream test captures them) and whether it failed. */
function runCommand(args: CommandArgs, testdata: string): { out: string; failed: boolean } {
  const at = (p: string) => join(testdata, p.replace(/^testdata\//, ''));
  if (!args.chart) {
    return {
      out: `Error: "helm ${args.command}" requires at least 1 argument\n\nUsage:  helm ${args.command} [NAME] [CHART] [flags]\n`,
      failed: true,
    };
  }
  const releaseName = args.releaseName ?? (args.nameTemplate !== undefined ? templateName(args.nameTemplate) : 'release-name');
  const isTemplate = args.command === 'template';
  const fail = (message: string, stdout = '') => ({
    out: `${stdout}Error: ${isTemplate ? '' : 'INSTALLATION FAILED: '}${message}\n`,
    failed: true,
  });
  try {
    const values = mergeUserValues({ valuesFiles: (args.values ?? []).map(at), set: args.set });
    const chart = loadChart(at(args.chart));
    const release = installChart(chart, {
      releaseName,
      namespace: args.namespace ?? 'default',
      values,
      kubeVersion: args.kubeVersion,
      apiVersions: args.apiVersions,
      includeCrds: args.include_crds,
      dryRun: isTemplate || args.dry_run === true,
      hideSecret: args.hide_secret,
      skipSchemaValidation: args.skip_schema_validation,
    });
    if (isTemplate) {
      return {
        out: templateOutput(release, { disableHooks: args.no_hooks, skipTests: args.skip_tests, showOnly: args.showOnly }),
        failed: false,
      };
    }
    const dryRun = args.dry_run === true;
    return {
      out: printStatus({
        name: releaseName,
        namespace: release.namespace,
        lastDeployed: INSTALL_TIME,
        status: dryRun ? 'pending-install' : 'deployed',
        revision: 1,
        dryRun,
        hooks: args.no_hooks ? [] : release.hooks,
        manifest: release.manifest,
        notes: release.notes,
      }),
      failed: false,
    };
  } catch (e) {
    const message = (e as Error).message;
    if (isTemplate && e instanceof InstallError && e.release) {
      if (args.debug) return fail(message, templateOutput(e.release, { disableHooks: args.no_hooks, skipTests: args.skip_tests }));
      return fail(`${message}\n\nUse --debug flag to render out invalid YAML`);
    }
    return fail(message);
  }
}

describeWithReferenceData('helm-template conformance (helm v3.19.5 template/install commands)', `${DIR}/cases.json`, () => {
  const testdata = referencePath(`${DIR}/testdata`);
  const cases = JSON.parse(readFileSync(referencePath(`${DIR}/cases.json`), 'utf8')) as CommandCase[];
  cases.forEach((c, i) => {
    const id = `#${i} ${c.test} ${c.name}${c.cmd ? ` — ${c.cmd}` : ''}`;
    const reason = skipReason('helm-template', `#${i} ${c.name}`) ?? c.skipReason;
    if (reason !== undefined || !c.args) {
      test.skip(`${id} — skipped: ${reason ?? 'no command'}`, () => undefined);
      return;
    }
    test(id, () => {
      const { out, failed } = runCommand(c.args!, testdata);
      if (c.golden) {
        expect(out).toBe(readFileSync(join(testdata, c.golden), 'utf8'));
      }
      expect({ failed, out: failed === c.wantError ? '' : out }).toEqual({ failed: c.wantError, out: '' });
    });
  });
});
