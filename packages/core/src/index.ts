export * from './errors.js';
export * from './enums.js';
export * from './capabilities.js';
export * from './schema.js';
export * from './model.js';
export * from './rpc.js';
