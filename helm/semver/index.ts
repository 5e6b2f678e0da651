export * from './version.js';
export * from './constraints.js';
