export * from './api.js';
export * from './client.js';
export * from './locate.js';
export * from './embedded.js';
export * from './plugins.js';
