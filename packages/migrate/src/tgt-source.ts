/**
 * What a running tgtd serves, read through the tgt plugin's own protocol client (targets, LUNs, ACL rules,
 * bound accounts, portals), plus what tgtd never reveals: CHAP secrets, from openlsm's tgt state and from
 * tgt-admin's targets.conf, and the access-group names of the targets openlsm's tgt plugin made. Reading changes
 * nothing on tgtd.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';
import {
  desiredConfig, loadConfig, parseState, targetNameFor, type TgtConfig, TgtdAdmin, TgtdClient, type TgtdPortal,
  type TgtdTarget, type TgtState,
} from '@openlsm/plugin-tgt';
import { addSecret, emptySecrets, readTargetsConf, type SecretSource } from './targets-conf.js';

export interface TgtSourceOptions {
  /** The tgt plugin's tgt.yaml: its socket, state and target prefix. */
  tgtConfig?: string;
  /** tgtd's management socket (overrides the one of tgtConfig). */
  socket?: string;
  /** tgt-admin's configuration, read for CHAP secrets. */
  targetsConf?: string;
  timeoutMs?: number;
}

export interface TgtSnapshot {
  socket: string;
  targets: TgtdTarget[];
  portals: TgtdPortal[];
  secrets: SecretSource;
  /** Accounts whose secret on tgtd is uncertain: a change of the tgt plugin was interrupted (its journal). */
  uncertain: Set<string>;
  /** Access-group names by target name, for the targets the tgt plugin made. */
  groupNames: Map<string, string>;
  /** Where the secrets came from, for messages. */
  secretFiles: string[];
}

export const DEFAULT_TGT_CONFIG = '/etc/openlsm/tgt.yaml';
export const DEFAULT_TARGETS_CONF = '/etc/tgt/targets.conf';
export const DEFAULT_TGT_SOCKET = '/var/run/tgtd/socket.0';

function readState(config: TgtConfig): TgtState | undefined {
  const file = path.join(config.stateDir, 'state.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Cannot read the tgt plugin's state ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return parseState(JSON.parse(text));
  } catch (err) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `The tgt plugin's state ${file} is not valid: ${(err as Error).message}`);
  }
}

export async function readTgt(options: TgtSourceOptions = {}): Promise<TgtSnapshot> {
  const configFile = options.tgtConfig ?? (fs.existsSync(DEFAULT_TGT_CONFIG) ? DEFAULT_TGT_CONFIG : undefined);
  const config = configFile === undefined ? undefined : loadConfig(configFile);
  const socket = options.socket ?? config?.socket ?? DEFAULT_TGT_SOCKET;
  const secrets = emptySecrets();
  const uncertain = new Set<string>();
  const groupNames = new Map<string, string>();
  const secretFiles: string[] = [];
  const state = config === undefined ? undefined : readState(config);
  if (config !== undefined && state !== undefined) {
    for (const [user, secret] of desiredConfig(state, config).accounts) addSecret(secrets, user, secret);
    for (const user of state.dirtyAccounts) uncertain.add(user);
    for (const group of state.accessGroups) groupNames.set(targetNameFor(config.targetPrefix, group), group.name);
    secretFiles.push(path.join(config.stateDir, 'state.json'));
  }
  const targetsConf = options.targetsConf ?? (fs.existsSync(DEFAULT_TARGETS_CONF) ? DEFAULT_TARGETS_CONF : undefined);
  if (targetsConf !== undefined) {
    readTargetsConf(targetsConf, secrets);
    secretFiles.push(targetsConf);
  }
  const admin = new TgtdAdmin(new TgtdClient({ socketPath: socket, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) }));
  const targets = await admin.targets();
  const portals = await admin.portals();
  return { socket, targets, portals, secrets, uncertain, groupNames, secretFiles };
}
