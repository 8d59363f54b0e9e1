/** Every targetd method served, by name. */
import { accessGroupMethods } from './access-groups.js';
import { exportMethods } from './exports.js';
import { fsMethods } from './fs.js';
import type { MethodTable } from './method.js';
import { nfsMethods } from './nfs.js';
import { volumeMethods } from './volumes.js';

export type { MethodDef, MethodTable } from './method.js';

export const METHODS: MethodTable = Object.freeze({
  ...volumeMethods, ...exportMethods, ...accessGroupMethods, ...fsMethods, ...nfsMethods,
});
