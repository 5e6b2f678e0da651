// `node --import <this file> ...` traces module loads into $MODULE_TRACE_FILE (hooks.mjs).
import { register } from 'node:module';

register(new URL('./hooks.mjs', import.meta.url));
