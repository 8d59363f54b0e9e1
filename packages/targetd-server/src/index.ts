export * from './auth.js';
export * from './config.js';
export * from './errors.js';
export * from './http-server.js';
export * from './jsonrpc.js';
export * from './lun-registry.js';
export * from './server.js';
export * from './tls.js';
export { METHODS } from './methods/index.js';
