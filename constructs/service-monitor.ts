import { Construct } from 'constructs';
import { ServiceMonitor as ServiceMonitorL1 } from '../imports/monitoring.coreos.com.js';
import { invalidProp, requireDnsLabel } from './validation.js';

import { DECLARED_SERVICE_ANNOTATION } from '../primitives/annotations.js';
export { DECLARED_SERVICE_ANNOTATION };

/** What the platform knows of a Service it does not render (the team's repository owns it). */
export interface DeclaredService {
  readonly name: string;
  /** The team whose repository renders it. */
  readonly team: string;
  /** Labels of the Service. */
  readonly labels: Readonly<Record<string, string>>;
  /** Names of its ports. */
  readonly ports: readonly string[];
}

export interface ServiceMonitorProps {
  /** @default - the construct id */
  readonly name?: string;
  /** Namespace of the ServiceMonitor and of the Service it selects. */
  readonly namespace: string;
  /** Labels the Service carries (`spec.selector.matchLabels`); at least one. */
  readonly selector: Readonly<Record<string, string>>;
  /** Name of the Service port that serves metrics (a name, not a number: numbers change). */
  readonly port: string;
  /** @default /metrics */
  readonly path?: string;
  /** Scrape interval. @default 30s */
  readonly interval?: string;
  /**
   * The Service when a team repository owns it: stamped on the object so that the fleet rules can
   * check the selector against the declaration. @default - the Service is in the rendered tree
   */
  readonly declaredService?: DeclaredService;
}

/** A prometheus-operator ServiceMonitor that scrapes one Service's /metrics in its own namespace. */
export class ServiceMonitor extends Construct {
  readonly name: string;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: ServiceMonitorProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    requireDnsLabel(this, 'name', this.name);
    requireDnsLabel(this, 'namespace', props.namespace);
    requireDnsLabel(this, 'port', props.port);
    if (!Object.keys(props.selector).length) invalidProp(this, 'selector', props.selector, 'at least one label of the Service (an empty selector scrapes every Service of the namespace)');
    const path = props.path ?? '/metrics';
    if (!/^\/\S*$/.test(path)) invalidProp(this, 'path', path, 'an HTTP path starting with "/"');
    const interval = props.interval ?? '30s';
    if (!/^\d+(s|m)$/.test(interval)) invalidProp(this, 'interval', interval, 'a duration such as 30s or 1m');
    const d = props.declaredService;
    if (d && !d.ports.includes(props.port)) invalidProp(this, 'port', props.port, `a port of the declared Service ${d.name} (${d.ports.join(', ')})`);

    new ServiceMonitorL1(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: props.namespace,
        ...(d ? { annotations: { [DECLARED_SERVICE_ANNOTATION]: JSON.stringify({ name: d.name, team: d.team, labels: d.labels, ports: d.ports }) } } : {}),
      },
      spec: {
        selector: { matchLabels: { ...props.selector } },
        namespaceSelector: { matchNames: [props.namespace] },
        endpoints: [{ port: props.port, path, interval }],
      },
    });
  }
}
