export * from './codec.js';
export * from './frame.js';
export * from './messages.js';
export * from './connection.js';
export * from './transport.js';
export * from './memory-pair.js';
export * from './mux.js';
