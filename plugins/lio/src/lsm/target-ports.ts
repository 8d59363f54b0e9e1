/**
 * Target ports are the TPG's network portals. A wildcard portal (0.0.0.0 or [::]) listens on every address, so
 * it is listed once per address of this machine in its family, with the interface's name and MAC address.
 */
import os from 'node:os';
import { type TargetPort, TargetPortType } from '@openlsm/core';
import { listPortals } from '../configfs/iscsi.js';
import type { View } from '../session.js';
import { ourTpg } from './access-groups.js';
import { SYSTEM_ID } from './ids.js';

function port(view: View, id: string, network: string, mac: string, name: string): TargetPort {
  return {
    id, port_type: TargetPortType.ISCSI, service_address: view.config.targetIqn, network_address: network,
    physical_address: mac, physical_name: name, system_id: SYSTEM_ID, plugin_data: null,
  };
}

export function listTargetPorts(view: View): TargetPort[] {
  const tpg = ourTpg(view);
  if (!view.tree.isDir(tpg)) return [];
  const interfaces = Object.entries(os.networkInterfaces()).flatMap(([name, list]) => (list ?? []).map((a) => ({ name, ...a })));
  const out: TargetPort[] = [];
  for (const dir of listPortals(view.tree, tpg)) {
    const cut = dir.lastIndexOf(':');
    const ip = dir.slice(0, cut).replace(/^\[|\]$/g, '');
    const portNo = dir.slice(cut + 1);
    const wildcard = ip === '0.0.0.0' || ip === '::' || ip === '::0';
    const matching = interfaces.filter((a) => (wildcard ? !a.internal && (ip === '0.0.0.0' ? a.family === 'IPv4' : true) : a.address === ip));
    if (matching.length === 0) {
      out.push(port(view, dir, dir, '', ''));
      continue;
    }
    for (const a of matching) {
      const address = a.family === 'IPv6' ? `[${a.address}]:${portNo}` : `${a.address}:${portNo}`;
      out.push(port(view, wildcard ? `${dir}@${a.name}/${a.address}` : dir, address, a.mac, a.name));
    }
  }
  return out;
}
