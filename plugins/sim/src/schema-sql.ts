/**
 * The simulator's SQLite schema. The `meta` row `format` names the layout; a file with another value (or no
 * `meta` table, such as libstoragemgmt's own `LSM_SIMULATOR_DATA_4.1` files) is refused rather than guessed at.
 *
 * Pool free space is stored, not computed: every mutation that takes or returns space updates it in the same
 * transaction, so `free_space = total_space - volumes - file systems - sub-pools` is an invariant that a crash
 * test can check, and the NOT_ENOUGH_SPACE check is one row read. The CHECK constraint makes overdrawing a pool
 * impossible even through a bug.
 *
 * AUTOINCREMENT keys: a deleted object's id is never handed out again, so a client holding a stale id gets
 * NOT_FOUND_* instead of silently acting on a newer object (or a stale job id seeing someone else's job).
 */

/** The value of `meta.format` for this layout. Bump it (and add a migration) when the layout changes. */
export const STATE_FORMAT = 'openlsm-sim-2';

/**
 * Earlier layouts, upgraded in place under the write lock: each entry's SQL turns its format into the next one.
 * 1 -> 2: `volumes.hw_raid` marks a volume made by `volume_raid_create` (deleting it also deletes its pool and
 * frees its disks, as in lsm's simulator); such volumes are the ones alone in a disk pool the seed did not make.
 */
export const MIGRATIONS: Readonly<Record<string, { next: string; sql: string }>> = {
  'openlsm-sim-1': {
    next: 'openlsm-sim-2',
    sql: `ALTER TABLE volumes ADD COLUMN hw_raid INTEGER NOT NULL DEFAULT 0;
      UPDATE volumes SET hw_raid = 1 WHERE pool_id IN (SELECT id FROM pools WHERE member_type = 2 AND id > 4 AND name LIKE 'Pool for volume %');`,
  },
};

export const SCHEMA_SQL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE systems (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  status INTEGER NOT NULL,
  status_info TEXT NOT NULL,
  fw_version TEXT NOT NULL,
  read_cache_pct INTEGER NOT NULL CHECK (read_cache_pct BETWEEN 0 AND 100),
  mode INTEGER NOT NULL
);

CREATE TABLE pools (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  element_type INTEGER NOT NULL,
  unsupported_actions INTEGER NOT NULL,
  total_space INTEGER NOT NULL,
  free_space INTEGER NOT NULL CHECK (free_space >= 0 AND free_space <= total_space),
  status INTEGER NOT NULL,
  status_info TEXT NOT NULL,
  raid_type INTEGER NOT NULL,
  member_type INTEGER NOT NULL,
  parent_pool_id INTEGER REFERENCES pools(id),
  strip_size INTEGER NOT NULL
);

CREATE TABLE disks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  disk_type INTEGER NOT NULL,
  block_size INTEGER NOT NULL,
  num_of_blocks INTEGER NOT NULL,
  status INTEGER NOT NULL,
  vpd83 TEXT NOT NULL,
  location TEXT NOT NULL,
  rpm INTEGER NOT NULL,
  link_type INTEGER NOT NULL,
  pool_id INTEGER REFERENCES pools(id)
);

CREATE TABLE volumes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  vpd83 TEXT NOT NULL,
  block_size INTEGER NOT NULL,
  num_of_blocks INTEGER NOT NULL CHECK (num_of_blocks > 0),
  admin_state INTEGER NOT NULL,
  pool_id INTEGER NOT NULL REFERENCES pools(id),
  provisioning INTEGER NOT NULL,
  write_cache_policy INTEGER NOT NULL,
  read_cache_policy INTEGER NOT NULL,
  physical_disk_cache INTEGER NOT NULL,
  ident_led INTEGER NOT NULL DEFAULT 0,
  hw_raid INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX volumes_by_pool ON volumes(pool_id);

CREATE TABLE vol_reps (
  src_vol_id INTEGER NOT NULL REFERENCES volumes(id),
  dst_vol_id INTEGER NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
  rep_type INTEGER NOT NULL,
  PRIMARY KEY (src_vol_id, dst_vol_id)
) WITHOUT ROWID;
CREATE INDEX vol_reps_by_dst ON vol_reps(dst_vol_id);

CREATE TABLE ags (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE inits (
  id TEXT PRIMARY KEY,
  init_type INTEGER NOT NULL,
  ag_id INTEGER NOT NULL REFERENCES ags(id) ON DELETE CASCADE,
  position INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX inits_by_ag ON inits(ag_id, position);

CREATE TABLE vol_masks (
  vol_id INTEGER NOT NULL REFERENCES volumes(id),
  ag_id INTEGER NOT NULL REFERENCES ags(id),
  PRIMARY KEY (vol_id, ag_id)
) WITHOUT ROWID;
CREATE INDEX vol_masks_by_ag ON vol_masks(ag_id);

CREATE TABLE fss (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  total_space INTEGER NOT NULL CHECK (total_space > 0),
  free_space INTEGER NOT NULL,
  pool_id INTEGER NOT NULL REFERENCES pools(id)
);
CREATE INDEX fss_by_pool ON fss(pool_id);

CREATE TABLE fs_snaps (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  ts INTEGER NOT NULL,
  fs_id INTEGER NOT NULL REFERENCES fss(id) ON DELETE CASCADE
);
CREATE INDEX fs_snaps_by_fs ON fs_snaps(fs_id);

CREATE TABLE fs_clones (
  src_fs_id INTEGER NOT NULL REFERENCES fss(id),
  dst_fs_id INTEGER NOT NULL REFERENCES fss(id) ON DELETE CASCADE,
  PRIMARY KEY (src_fs_id, dst_fs_id)
) WITHOUT ROWID;
CREATE INDEX fs_clones_by_dst ON fs_clones(dst_fs_id);

CREATE TABLE file_clones (
  fs_id INTEGER NOT NULL REFERENCES fss(id) ON DELETE CASCADE,
  src_file TEXT NOT NULL,
  dst_file TEXT NOT NULL,
  PRIMARY KEY (fs_id, src_file, dst_file)
) WITHOUT ROWID;

CREATE TABLE exps (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  fs_id INTEGER NOT NULL REFERENCES fss(id) ON DELETE CASCADE,
  export_path TEXT NOT NULL UNIQUE,
  auth TEXT NOT NULL,
  anonuid INTEGER NOT NULL,
  anongid INTEGER NOT NULL,
  options TEXT NOT NULL
);
CREATE INDEX exps_by_fs ON exps(fs_id);

CREATE TABLE exp_hosts (
  exp_id INTEGER NOT NULL REFERENCES exps(id) ON DELETE CASCADE,
  access TEXT NOT NULL CHECK (access IN ('root', 'rw', 'ro')),
  position INTEGER NOT NULL,
  host TEXT NOT NULL,
  PRIMARY KEY (exp_id, access, position)
) WITHOUT ROWID;

CREATE TABLE tgts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  port_type INTEGER NOT NULL,
  service_address TEXT NOT NULL,
  network_address TEXT NOT NULL,
  physical_address TEXT NOT NULL,
  physical_name TEXT NOT NULL
);

CREATE TABLE batteries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  type INTEGER NOT NULL,
  status INTEGER NOT NULL
);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_ms INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  item_type TEXT CHECK (item_type IN ('volume', 'fs', 'snapshot')),
  item_id INTEGER
);
`;
