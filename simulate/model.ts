// The objects a simulated cluster receives and what the simulation reports about them. Every
// model (API server, Argo CD, admission) reads SimObjects and returns SimFindings, so that the
// report can say, per cluster, the first step that would fail and why.
import type { Finding } from '../validate/finding.js';

/** One object a cluster receives, with where it came from. */
export interface SimObject {
  readonly cluster: string;
  /**
   * Tree-relative file of the object, or of the Application whose chart renders it, followed by
   * `#<chart>/<template>` for chart objects (e.g. `clusters/c/apps/application-kyverno.yaml#kyverno/templates/x.yaml`).
   */
  readonly file: string;
  readonly object: Record<string, any>;
  /** The Argo CD Application that syncs it; undefined for `bootstrap/`, which the admin applies. */
  readonly application?: string;
  /** The chart that renders it, when it comes from a Helm source. */
  readonly chart?: string;
}

/** The step of the bootstrap and sync a finding belongs to, e.g. `bootstrap`, `wave -5: kyverno`. */
export type SimStep = string;

/** A finding of the simulation: a validation finding plus the step at which a real cluster would fail. */
export interface SimFinding extends Finding {
  readonly cluster: string;
  readonly step: SimStep;
}

/** One step of a simulated cluster: the admin's bootstrap, or one Application's sync in its wave. */
export interface SimStepSummary {
  readonly step: SimStep;
  /** The objects the step applies (each hook once per phase it runs in). */
  readonly objects: number;
  /** Whether the step would fail (it has findings). */
  readonly failed: boolean;
}

/** What the simulation of one cluster found. */
export interface ClusterSimulation {
  readonly cluster: string;
  /** Every finding, in the order a real cluster would meet them; the first is where it fails first. */
  readonly findings: readonly SimFinding[];
  readonly steps: readonly SimStepSummary[];
  /** The distinct sync waves of the root's children, ascending. */
  readonly waves: readonly number[];
  /** The Applications synced (the root included). */
  readonly applications: number;
  /** The objects applied (bootstrap, Argo CD's install and every sync). */
  readonly objects: number;
  /** What could not be simulated and why (a source in another repository). */
  readonly notSimulated: readonly string[];
}

/** What `infra-synth simulate` reports for a tree. */
export interface SimulationReport {
  readonly clusters: readonly ClusterSimulation[];
}
