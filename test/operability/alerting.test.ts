// Alertmanager must reach people: the overlay names receivers (e-mail, Telegram, webhook) and
// routes by severity and team; a prod cluster without a receiver does not render. What
// kube-prometheus-stack renders from it (the config Secret, the Alertmanager's mounted Secrets)
// is read back from the pinned chart.
import yaml from 'js-yaml';
import { platformComponents } from '../../charts/cluster.js';
import { renderBatch } from '../../pipeline/render-batch.js';
import { resolveCluster } from '../../spec/load.js';
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { ofKind, useRealCharts, type K8sObject } from '../charts-real/real-charts.js';

const overlay = (extra: Record<string, unknown> = {}) => ({
  cloud: 'vk', environment: 'prod', domain: 'prod.company.ru',
  secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] },
  ...extra,
});
const problemsOf = (o: unknown) => resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay: o }).problems;

const alertmanager = (a: Record<string, unknown>) => ({ observability: { alertmanager: a } });
const oncall = { name: 'oncall', telegram: { chatId: -1001000000001, botTokenSecret: 'alertmanager-telegram' } };

describe('alert receivers in the overlay', () => {
  test('synth refuses a prod cluster without a receiver with one line naming the field', async () => {
    const spec = resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay: overlay() }).spec!;
    const batch = await renderBatch([spec], { charts: 'off' });
    expect(batch.problems).toEqual([
      'overlays/c1.ts: observability.alertmanager.receivers: received none in a prod cluster, so its alerts would reach nobody; add a receiver (email, telegram or webhook: docs/overlay-observability.md)',
    ]);
  });

  test('a stage cluster without a receiver renders (its alerts are dropped, as the chart does)', async () => {
    const spec = resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay: overlay({ environment: 'stage' }) }).spec!;
    expect((await renderBatch([spec], { charts: 'off' })).problems).toEqual([]);
  });

  test('a route to a receiver or team that does not exist is refused, naming what exists', () => {
    expect(problemsOf(overlay(alertmanager({ receivers: [oncall], routes: [{ receiver: 'payments', team: 'billing' }] })))).toEqual([
      'overlays/c1.ts: observability.alertmanager.routes[0].receiver: received "payments"; expected one of the receivers (oncall)',
      'overlays/c1.ts: observability.alertmanager.routes[0].team: received "billing"; expected one of the teams (payments, storefront)',
    ]);
  });

  test('an e-mail receiver without a mail server is refused', () => {
    expect(problemsOf(overlay(alertmanager({ receivers: [{ name: 'mail', email: ['oncall@company.ru'] }] })))).toEqual([
      'overlays/c1.ts: observability.alertmanager.receivers[0].email: received addresses but observability.alertmanager.smtp is not set; e-mail needs the mail server (smtp.smarthost, smtp.from)',
    ]);
  });

  test('a receiver with no channel is refused', () => {
    expect(problemsOf(overlay(alertmanager({ receivers: [{ name: 'nobody' }] })))).toEqual([
      'overlays/c1.ts: observability.alertmanager.receivers[0]: received {"name":"nobody"}; a receiver with at least one of email, telegram, webhook',
    ]);
  });
});

describeWithReferenceData('alert routing as kube-prometheus-stack renders it', 'helm/charts', () => {
  const charts = useRealCharts(['kube-prometheus-stack']);
  const spec = specFor(alertmanager({
    smtp: { smarthost: 'smtp.company.ru:587', from: 'am@company.ru', username: 'alertmanager', passwordSecret: 'alertmanager-smtp' },
    receivers: [
      oncall,
      { name: 'payments', email: ['payments@company.ru'], webhook: { url: 'https://incidents.company.ru/hook', tokenSecret: 'incidents-token' } },
    ],
    routes: [{ receiver: 'payments', team: 'payments', severity: ['critical'], continue: true }],
  }), 'alerting');

  const render = (): K8sObject[] => {
    const s = charts().source(spec, 'kube-prometheus-stack');
    const values = { ...s.values, grafana: { ...(s.values.grafana as object), enabled: false }, kubeStateMetrics: { enabled: false }, nodeExporter: { enabled: false } };
    return charts().renderWithoutDisabledDependencies({ ...s, values });
  };
  const config = (objects: K8sObject[]) => {
    const [secret] = ofKind(objects, 'Secret', 'alertmanager-kube-prometheus-stack-alertmanager');
    return yaml.load(Buffer.from(secret.data['alertmanager.yaml'], 'base64').toString()) as Record<string, any>;
  };

  test('critical alerts of the team\'s namespaces go to the team and on; everything else to the first receiver; Watchdog nowhere', () => {
    const { route, receivers } = config(render());
    expect(route.receiver).toBe('oncall');
    expect(route.routes).toEqual([
      { receiver: 'null', matchers: ['alertname = "Watchdog"'] },
      { receiver: 'payments', matchers: ['severity =~ "critical"', 'namespace =~ "payments"'], continue: true },
    ]);
    expect(receivers.map((r: { name: string }) => r.name)).toEqual(['null', 'oncall', 'payments']);
  });

  test('credentials are files of Secrets mounted into Alertmanager, never values, and each is declared with the key read', () => {
    const objects = render();
    const { global, receivers } = config(objects);
    const files = [
      global.smtp_auth_password_file,
      receivers[1].telegram_configs[0].bot_token_file,
      receivers[2].webhook_configs[0].http_config.authorization.credentials_file,
    ];
    expect(files).toEqual([
      '/etc/alertmanager/secrets/alertmanager-smtp/password',
      '/etc/alertmanager/secrets/alertmanager-telegram/bot-token',
      '/etc/alertmanager/secrets/incidents-token/token',
    ]);
    const [am] = ofKind(objects, 'Alertmanager');
    expect([...am.spec.secrets].sort()).toEqual(['alertmanager-smtp', 'alertmanager-telegram', 'incidents-token']);
    const declared = platformComponents(spec).find((c) => c.name === 'kube-prometheus-stack')!.secrets!
      .filter((s) => s.namespace === 'monitoring').map((s) => `${s.name}/${s.keys.join(',')}`).sort();
    expect(declared).toEqual(['alertmanager-smtp/password', 'alertmanager-telegram/bot-token', 'grafana-admin/admin-user,admin-password', 'incidents-token/token']);
    expect(JSON.stringify(config(objects))).not.toMatch(/smtp_auth_password"|bot_token"|"credentials"/);
  });
});
