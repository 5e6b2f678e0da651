/**
 * Annotation on a component's Application naming the namespaces other than its destination that
 * its chart writes into (see PlatformComponent.foreignObjects); the fleet rules read it.
 */
export const FOREIGN_NAMESPACES_ANNOTATION = 'platform.company.ru/foreign-namespaces';
