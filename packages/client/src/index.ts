export * from './api.js';
export * from './client.js';
export * from './locate.js';
export * from './embedded.js';
export * from './plugins.js';
export * from './localdisk.js';
// What a program needs besides the client comes from here too: `LsmError` and `ErrorNumber`, the constants
// (`Provisioning`, `SystemStatus`, ...), the model types, capabilities, size and URI helpers, and the RPC
// descriptors for `client.call`.
export * from '@openlsm/core';
