/**
 * Access groups, masking and iSCSI CHAP.
 */
import { classifyInitiator } from '@openlsm/core';
import { ArgError } from '../errors.js';
import { accessGroupView, volumeView } from '../output/columns.js';
import { resolveAccessGroup, resolveSystem, resolveVolume } from '../resolve.js';
import { type Handler, optStr, str } from './handler.js';

/** The lsm initiator type of an id the option parser has already validated. */
function initiatorType(id: string): number {
  const classified = classifyInitiator(id);
  if (!classified) throw new ArgError(`--init "${id}" is not a valid WWPN or iSCSI IQN`);
  return classified.type;
}

const mask = (on: boolean): Handler => async (ctx, opts) => {
  const [volume, group] = await Promise.all([resolveVolume(ctx, str(opts, 'vol')), resolveAccessGroup(ctx, str(opts, 'ag'))]);
  const client = await ctx.client();
  if (on) await client.volumeMask({ access_group: group, volume });
  else await client.volumeUnmask({ access_group: group, volume });
};

const volumeAccessGroup: Handler = async (ctx, opts) => {
  const volume = await resolveVolume(ctx, str(opts, 'vol'));
  ctx.out.objects(accessGroupView, await (await ctx.client()).accessGroupsGrantedToVolume({ volume }));
};

const create: Handler = async (ctx, opts) => {
  const system = await resolveSystem(ctx, str(opts, 'sys'));
  const init = str(opts, 'init');
  const group = await (await ctx.client()).accessGroupCreate({ name: str(opts, 'name'), init_id: init, init_type: initiatorType(init), system });
  ctx.out.objects(accessGroupView, [group]);
};

const change = (add: boolean): Handler => async (ctx, opts) => {
  const group = await resolveAccessGroup(ctx, str(opts, 'ag'));
  const init = str(opts, 'init');
  const params = { access_group: group, init_id: init, init_type: initiatorType(init) };
  const client = await ctx.client();
  const updated = add ? await client.accessGroupInitiatorAdd(params) : await client.accessGroupInitiatorDelete(params);
  ctx.out.objects(accessGroupView, [updated]);
};

const remove: Handler = async (ctx, opts) => {
  const group = await resolveAccessGroup(ctx, str(opts, 'ag'));
  await (await ctx.client()).accessGroupDelete({ access_group: group });
};

const volumes: Handler = async (ctx, opts) => {
  const group = await resolveAccessGroup(ctx, str(opts, 'ag'));
  ctx.out.objects(volumeView, await (await ctx.client()).volumesAccessibleByAccessGroup({ access_group: group }));
};

/** lsmcli's pairing rules for CHAP credentials. */
export function checkChap(inUser?: string, inPass?: string, outUser?: string, outPass?: string): void {
  if (inUser !== undefined && inPass === undefined) throw new ArgError('--in-user requires --in-pass');
  if (inPass !== undefined && inUser === undefined) throw new ArgError('--in-pass requires --in-user');
  if (outUser !== undefined && outPass === undefined) throw new ArgError('--out-user requires --out-pass');
  if (outPass !== undefined && outUser === undefined) throw new ArgError('--out-pass requires --out-user');
  if (outUser !== undefined && inUser === undefined) {
    throw new ArgError('out-user and out-password only supported if inbound is supplied');
  }
}

const iscsiChap: Handler = async (ctx, opts) => {
  const inUser = optStr(opts, 'inUser');
  const inPass = optStr(opts, 'inPass');
  const outUser = optStr(opts, 'outUser');
  const outPass = optStr(opts, 'outPass');
  checkChap(inUser, inPass, outUser, outPass);
  await (await ctx.client()).iscsiChapAuth({
    init_id: str(opts, 'init'),
    in_user: inUser ?? null,
    in_password: inPass ?? null,
    out_user: outUser ?? null,
    out_password: outPass ?? null,
  });
};

export const handlers: Record<string, Handler> = {
  'volume-mask': mask(true),
  'volume-unmask': mask(false),
  'volume-access-group': volumeAccessGroup,
  'access-group-create': create,
  'access-group-add': change(true),
  'access-group-remove': change(false),
  'access-group-delete': remove,
  'access-group-volumes': volumes,
  'iscsi-chap': iscsiChap,
};
