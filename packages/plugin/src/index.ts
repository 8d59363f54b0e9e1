export * from './plugin.js';
export * from './jobs.js';
export * from './search.js';
export * from './runner.js';
export * from './run.js';
export { hostSessions, type HostOptions } from './host.js';
