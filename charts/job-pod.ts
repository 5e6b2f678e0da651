import { k8s } from 'cdk8s-plus-28';

/**
 * The security context of the platform's own Job containers: what Pod Security `restricted`
 * asks for, with the image's non-root user given explicitly (kubelet cannot check a user name).
 */
export function restrictedContainer(runAsUser: number): k8s.SecurityContext {
  return { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
}

/** Requests and a memory limit for a short platform Job: what require-requests-limits asks of every container. */
export const SMALL_JOB_RESOURCES: k8s.ResourceRequirements = {
  requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
  limits: { memory: k8s.Quantity.fromString('256Mi') },
};
