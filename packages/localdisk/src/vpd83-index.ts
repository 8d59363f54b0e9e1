/**
 * Where the volumes of an array appear on this machine: the local disks by SCSI VPD 0x83 id. A module of its own
 * so that what lsmcli loads for every listing ("Disk Paths") is only this, not the whole local-disk API.
 */
import { normalizeVpd83 } from '@openlsm/core';
import { listBlockDisks, type Roots } from './discovery.js';
import { readVpd83 } from './identity.js';

export interface LocalDiskOptions {
  /** Where sysfs is mounted; default `/sys`. */
  sysRoot?: string;
  /** Where device nodes are; default `/dev`. Reported paths are `<devRoot>/<name>`. */
  devRoot?: string;
}

/** The roots of `options`, with the real ones (`/sys`, `/dev`) as defaults. */
export function rootsOf(options: LocalDiskOptions | undefined): Roots {
  return { sysRoot: options?.sysRoot ?? '/sys', devRoot: options?.devRoot ?? '/dev' };
}

/**
 * lsmcli calls vpd83Search once per volume or disk it prints ("Disk Paths"), so the disks' ids are read once
 * into an index that later calls reuse for a second: listing a thousand volumes reads sysfs once. A disk added
 * within that second is seen by the next index.
 */
const VPD83_INDEX_TTL_MS = 1000;
const vpd83Indexes = new Map<string, { expires: number; index: Promise<Map<string, string[]>> }>();

async function buildVpd83Index(roots: Roots): Promise<Map<string, string[]>> {
  const disks = await listBlockDisks(roots);
  const ids = await Promise.all(disks.map(readVpd83));
  const index = new Map<string, string[]>();
  disks.forEach((disk, i) => {
    const id = ids[i] ?? '';
    if (id !== '') index.set(id, [...(index.get(id) ?? []), disk.devPath]);
  });
  return index;
}

function vpd83Index(roots: Roots): Promise<Map<string, string[]>> {
  const now = Date.now();
  for (const [key, entry] of vpd83Indexes) if (entry.expires <= now) vpd83Indexes.delete(key);
  const key = `${roots.sysRoot}\0${roots.devRoot}`;
  const cached = vpd83Indexes.get(key);
  if (cached !== undefined) return cached.index;
  const entry = { expires: now + VPD83_INDEX_TTL_MS, index: buildVpd83Index(roots) };
  vpd83Indexes.set(key, entry);
  entry.index.catch(() => {
    if (vpd83Indexes.get(key) === entry) vpd83Indexes.delete(key);
  });
  return entry.index;
}

/**
 * Paths of the local disks whose vpd83 is `vpd83` (any hex case); several with multipath. INVALID_ARGUMENT
 * when `vpd83` is not an NAA id. Reads only page 0x83 of each disk (see the index above).
 *
 * ```ts
 * await vpd83Search('600140545e2c5f0e0b6a4ab4b1d3a2c1'); // ['/dev/sdc', '/dev/sdd']
 * ```
 */
export async function vpd83Search(vpd83: string, options?: LocalDiskOptions): Promise<string[]> {
  const wanted = normalizeVpd83(vpd83);
  const index = await vpd83Index(rootsOf(options));
  return [...(index.get(wanted) ?? [])];
}

/**
 * Every local disk that has an NAA id, by id (lower-case hex): where each of an array's volumes appears on this
 * machine (lsmcli's "Disk Paths" column). The same index as `vpd83Search`, so one listing reads sysfs once.
 *
 * ```ts
 * (await localDisksByVpd83()).get('600140545e2c5f0e0b6a4ab4b1d3a2c1'); // ['/dev/sdc', '/dev/sdd']
 * ```
 */
export async function localDisksByVpd83(options?: LocalDiskOptions): Promise<Map<string, string[]>> {
  const index = await vpd83Index(rootsOf(options));
  return new Map([...index].map(([id, paths]) => [id, [...paths]]));
}
