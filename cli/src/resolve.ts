/**
 * Turning the ids a user typed into the objects lsm's calls take. lsmcli lists every object of the type and
 * picks one; openlsm asks the plugin for that id (`search_key: 'id'`), which every lsm plugin must accept
 * (the plugin kit filters for plugins without quick search), so a 10,000-volume array answers with one
 * object instead of 10,000. The answer is still checked by id, and a plugin that refuses the search key is
 * asked for the full list. A miss is lsmcli's "<Type> with ID <id> not found!" (exit 2).
 */
import type { Client } from '@openlsm/client';
import {
  type AccessGroup, type Disk, ErrorNumber, type FileSystem, type FsSnapshot, LsmError, type NfsExport, type Pool,
  type System, type Volume,
} from '@openlsm/core';
import type { Context } from './context.js';
import { ArgError } from './errors.js';

type Search = { search_key?: string | null; search_value?: string | null };

export function notFound(type: string, id: string): ArgError {
  return new ArgError(`${type} with ID ${id} not found!`);
}

async function byId<T extends { id: string }>(type: string, id: string, list: (search: Search) => Promise<T[]>): Promise<T> {
  let found: T[];
  try {
    found = await list({ search_key: 'id', search_value: id });
  } catch (err) {
    if (!(err instanceof LsmError) || err.code !== ErrorNumber.UNSUPPORTED_SEARCH_KEY) throw err;
    found = await list({});
  }
  const hit = found.find((o) => o.id === id);
  if (!hit) throw notFound(type, id);
  return hit;
}

const client = (ctx: Context): Promise<Client> => ctx.client();

export async function resolveVolume(ctx: Context, id: string): Promise<Volume> {
  const c = await client(ctx);
  return byId('Volume', id, (s) => c.volumes(s));
}

export async function resolvePool(ctx: Context, id: string): Promise<Pool> {
  const c = await client(ctx);
  return byId('Pool', id, (s) => c.pools(s));
}

export async function resolveDisk(ctx: Context, id: string): Promise<Disk> {
  const c = await client(ctx);
  return byId('Disk', id, (s) => c.disks(s));
}

export async function resolveAccessGroup(ctx: Context, id: string): Promise<AccessGroup> {
  const c = await client(ctx);
  return byId('Access Group', id, (s) => c.accessGroups(s));
}

export async function resolveFs(ctx: Context, id: string): Promise<FileSystem> {
  const c = await client(ctx);
  return byId('File System', id, (s) => c.fs(s));
}

export async function resolveExport(ctx: Context, id: string): Promise<NfsExport> {
  const c = await client(ctx);
  return byId('NFS Export', id, (s) => c.exports(s));
}

/** Systems have no search key: list and pick. */
export async function resolveSystem(ctx: Context, id: string): Promise<System> {
  const c = await client(ctx);
  const hit = (await c.systems()).find((s) => s.id === id);
  if (!hit) throw notFound('System', id);
  return hit;
}

/** Snapshots are listed per file system. */
export async function resolveSnapshot(ctx: Context, fs: FileSystem, id: string): Promise<FsSnapshot> {
  const c = await client(ctx);
  const hit = (await c.fsSnapshots({ fs })).find((s) => s.id === id);
  if (!hit) throw notFound('Snapshot', id);
  return hit;
}
