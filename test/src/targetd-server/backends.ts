/**
 * The openlsm backends the targetd-server workflow runs on, each as the server's settings for it (backend URI
 * and the pool offered as POOL) plus what the backend itself can say about the outcome:
 *
 * - `sim`: the simulator on a state file in the server's directory (server-env's default). It has no
 *   initiators, so it holds no LUN numbers and no CHAP of its own to compare with.
 * - `lio`: lio:// on the configfs emulation (fixtures/configfs: the kernel's semantics in a FUSE mount), with a
 *   directory pool of sparse images. The tree is read back to see what an initiator would really be given:
 *   the mapped LUNs (number and storage object) of every ACL, and each ACL's CHAP user.
 */
import path from 'node:path';
import { emulationUnavailable } from '../fixtures/configfs/index.js';
import { createLio, snapshotTree, TARGET_IQN } from '../lio/harness.js';
import { POOL } from './server-env.js';

/** [initiator, volume name, LUN number], sorted. */
export type HostLun = [string, string, number];

/** What a backend itself holds about initiators, read from it rather than through the server. */
export interface BackendInspector {
  /** The LUNs initiators are given: [initiator, volume name, LUN number], sorted. */
  hostLuns(): HostLun[];
  /** The initiators the backend knows (lio: its node ACLs), sorted. */
  initiators(): string[];
  /** The names of the backend's volumes (lio: its storage objects), sorted. */
  volumes(): string[];
  /** The CHAP user set for `initiator`, or undefined. */
  chapUser(initiator: string): string | undefined;
}

export interface BackendArray {
  /** Settings merged into the server's configuration. */
  config: Record<string, unknown>;
  /** undefined where the backend holds no initiators (sim). */
  inspect: BackendInspector | undefined;
  dispose(): Promise<void>;
}

export interface WorkflowBackend {
  name: 'sim' | 'lio';
  /** Why it cannot run here (node:test's `skip`), or undefined. */
  skip: string | undefined;
  /** The backend numbers host LUNs itself (lowest free), so the server accepts only the number it will give. */
  choosesLuns: boolean;
  create(): Promise<BackendArray>;
}

export const SIM_BACKEND: WorkflowBackend = {
  name: 'sim',
  skip: undefined,
  choosesLuns: false,
  create: () => Promise.resolve({
    config: {},
    inspect: undefined,
    dispose: () => Promise.resolve(),
  }),
};

const TPG = `iscsi/${TARGET_IQN}/tpgt_1`;
const ACLS = `${TPG}/acls/`.replaceAll('.', '\\.');
const ACL = new RegExp(`^${ACLS}([^/]+)$`);
/** acls/<initiator>/lun_<m>/<link>: a mapped LUN, linked to a TPG LUN. */
const MAPPED_LUN = new RegExp(`^${ACLS}([^/]+)/lun_(\\d+)/[^/]+$`);
const STORAGE_OBJECT = /^core\/(?:fileio|iblock)_\d+\/([^/]+)$/;

/** The first capture group of every directory of `tree` that `re` matches, sorted. */
function directories(tree: Record<string, string>, re: RegExp): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (v === 'd' ? re.exec(k)?.slice(1, 2) ?? [] : [])).sort();
}

function lioInspector(root: string): BackendInspector {
  const tree = () => snapshotTree(path.join(root, 'target'));
  return {
    hostLuns() {
      const snap = tree();
      // lun/lun_<n>/<link> -> core/<hba>/<object name>.
      const objectOf = (tpgLun: string) => Object.entries(snap).find(([k, v]) => k.startsWith(`${tpgLun}/`) && v.startsWith('l:core/'))?.[1];
      return Object.entries(snap).flatMap(([key, value]): HostLun[] => {
        const m = MAPPED_LUN.exec(key);
        if (!m || !value.startsWith('l:')) return [];
        const object = objectOf(value.slice(2));
        return [[m[1] as string, object ? path.basename(object) : `(nothing behind ${value.slice(2)})`, Number(m[2])]];
      }).sort();
    },
    initiators: () => directories(tree(), ACL),
    volumes: () => directories(tree(), STORAGE_OBJECT),
    chapUser: (initiator) => tree()[`${TPG}/acls/${initiator}/auth/userid`]?.replace(/^f:/, '').trim(),
  };
}

export const LIO_BACKEND: WorkflowBackend = {
  name: 'lio',
  skip: emulationUnavailable(),
  choosesLuns: true,
  async create() {
    const array = await createLio();
    return {
      config: { backend: array.uri, block_pools: [{ name: POOL, pool: 'images' }], fs_pools: null },
      inspect: lioInspector(array.cfs.root),
      dispose: () => array.dispose(),
    };
  },
};
