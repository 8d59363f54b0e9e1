/**
 * openlsm: the SDK (`@openlsm/client`), with lsm's errors, constants, model types and local-disk API.
 *
 * ```ts
 * import { Client, ErrorNumber, LsmError } from 'openlsm';
 * const client = await Client.connect('sim://');
 * ```
 */
export * from '@openlsm/client';
