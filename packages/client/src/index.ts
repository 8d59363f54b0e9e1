export * from './api.js';
export * from './client.js';
export * from './locate.js';
export * from './embedded.js';
export * from './plugins.js';
// What a program needs besides the client comes from here too: `LsmError` and `ErrorNumber`, the constants
// (`VolumeProvisioning`, `SystemStatus`, ...), the model types, capabilities, size and URI helpers, the RPC
// descriptors for `client.call`, and lsm's local-disk API.
export * from '@openlsm/core';
export * from '@openlsm/localdisk';
