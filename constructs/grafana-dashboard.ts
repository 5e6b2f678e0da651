import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { invalidProp, requireDnsLabel } from './validation.js';

import { DASHBOARD_FOLDER_ANNOTATION, DASHBOARD_LABEL, DASHBOARD_SOURCE_ANNOTATION, DASHBOARD_UID_ANNOTATION } from '../primitives/annotations.js';

// Where they were defined first; the fleet rules import them from primitives/annotations.ts without cdk8s.
export { DASHBOARD_FOLDER_ANNOTATION, DASHBOARD_LABEL, DASHBOARD_SOURCE_ANNOTATION, DASHBOARD_UID_ANNOTATION };

export interface GrafanaDashboardProps {
  /** ConfigMap name. @default - the construct id */
  readonly name?: string;
  /** Namespace of the ConfigMap (the sidecar searches every namespace; the platform keeps them next to Grafana). */
  readonly namespace: string;
  /** Grafana folder the dashboard appears in. @default General */
  readonly folder?: string;
  /** The dashboard JSON, as exported from Grafana. */
  readonly json: string;
  /** The dashboard's uid (checked against the JSON). */
  readonly uid: string;
  /** Where the JSON came from, for reviewers. @default - not stamped */
  readonly source?: string;
}

/** A dashboard as a ConfigMap the Grafana sidecar loads: labelled, in a folder, one JSON file. */
export class GrafanaDashboard extends Construct {
  readonly name: string;
  readonly configMap: ApiObject;

  constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id);
    this.name = props.name ?? id;
    requireDnsLabel(this, 'name', this.name);
    requireDnsLabel(this, 'namespace', props.namespace);
    let parsed: Record<string, unknown>;
    try { parsed = JSON.parse(props.json); } catch { invalidProp(this, 'json', `${props.json.slice(0, 20)}...`, 'the dashboard as valid JSON'); }
    if (parsed?.uid !== props.uid) invalidProp(this, 'uid', props.uid, `the uid the JSON states (${JSON.stringify(parsed?.uid)})`);
    this.configMap = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: props.namespace,
        labels: { [DASHBOARD_LABEL]: '1' },
        annotations: {
          [DASHBOARD_FOLDER_ANNOTATION]: props.folder ?? 'General',
          [DASHBOARD_UID_ANNOTATION]: props.uid,
          ...(props.source ? { [DASHBOARD_SOURCE_ANNOTATION]: props.source } : {}),
        },
      },
      data: { [`${this.name}.json`]: props.json },
    });
  }
}
