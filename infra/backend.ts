// The seam between the neutral model and what writes it: one backend per way of provisioning.
// OpenTofu JSON (tofu/), and Crossplane managed resources for a management cluster (crossplane/),
// both from the same stacks.
import type { OutputFile } from '../writer/types.js';
import type { InfraStack } from './model.js';

/** A construct (or part of one) a backend leaves to a person, and how they do it. */
export interface NotAutomated {
  /** The construct's path, e.g. InfraStack/vk-stage/Bucket/platform-velero. */
  readonly construct: string;
  /** What is not created. */
  readonly what: string;
  /** What a person does instead. */
  readonly how: string;
}

export interface InfraRender {
  /** Files under the tree root (e.g. infra/<cluster>/main.tf.json). */
  readonly files: OutputFile[];
  readonly notAutomated: NotAutomated[];
}

export interface InfraBackend {
  /** The overlay's `infra.backend` value that selects it. */
  readonly name: string;
  render(stack: InfraStack): InfraRender;
}

/** The "Not automated" list of a stack's README, one Markdown line each. */
export function notAutomatedLines(list: readonly NotAutomated[]): string[] {
  return list.length ? list.map((n) => `- ${n.construct}: ${n.what} — ${n.how}.`) : ['Nothing: the stack creates everything the cluster needs.'];
}
