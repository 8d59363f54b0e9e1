/**
 * Names that mark a plug-in daemon's socket directory, for code that must keep out of it (a plugin asked to
 * create a file there could block or impersonate another plugin's socket).
 */

/** openlsmd's instance lock, created in its socket directory. */
export const OPENLSMD_LOCK_FILE = '.openlsmd.lock';

/** Files only a socket directory holds: openlsmd's lock and libstoragemgmt's lsmd's. */
export const SOCKET_DIR_MARKERS: readonly string[] = [OPENLSMD_LOCK_FILE, '.lsmd-ipc-lock'];
