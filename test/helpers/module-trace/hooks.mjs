// Module resolution hooks (node:module register) that append every resolved URL to $MODULE_TRACE_FILE:
// which packages a command loads, seen from outside the process.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.MODULE_TRACE_FILE, `${resolved.url}\n`);
  return resolved;
}
