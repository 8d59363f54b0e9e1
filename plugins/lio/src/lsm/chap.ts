/**
 * iscsi_chap_auth: CHAP credentials live in the initiator's ACL (auth/userid, password, and the *_mutual pair for
 * the target's answer), so the initiator must be in an access group. LIO enforces CHAP per TPG (attribute
 * `authentication`) or, on kernels that have it, per ACL (`attrib/authentication`: -1 inherits the TPG's, 1
 * requires CHAP): openlsm keeps the TPG at 0, as targetcli and targetd do, and requires CHAP exactly for the
 * initiators given credentials, so the others keep logging in as before.
 */
import { describeForMessage, ErrorNumber, LsmError } from '@openlsm/core';
import { CHAP_FILES, type ChapValues, readChap } from '../configfs/iscsi.js';
import { normalizeIscsiName, validateChapValue } from '../configfs/names.js';
import type { Change } from '../session.js';
import { listGroups, TPG_TAG } from './access-groups.js';

const given = (s: string | null) => s !== null && s !== '';

export function setChap(change: Change, initId: string, inUser: string | null, inPass: string | null, outUser: string | null, outPass: string | null): void {
  const node = normalizeIscsiName(initId, 'initiator');
  if (given(inUser) !== given(inPass)) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'in_user and in_password must be given together (or both left empty to remove authentication)');
  }
  if (given(outUser) !== given(outPass)) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'out_user and out_password must be given together (or both left empty)');
  if (given(outUser) && !given(inUser)) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'Outgoing (mutual) CHAP needs incoming CHAP credentials as well');
  const values: ChapValues = {
    userid: given(inUser) ? validateChapValue('in_user', inUser as string) : '',
    password: given(inPass) ? validateChapValue('in_password', inPass as string) : '',
    userid_mutual: given(outUser) ? validateChapValue('out_user', outUser as string) : '',
    password_mutual: given(outPass) ? validateChapValue('out_password', outPass as string) : '',
  };
  const acl = listGroups(change).flatMap((g) => g.acls).find((a) => a.node === node);
  if (!acl) {
    throw new LsmError(ErrorNumber.NOT_FOUND_ACCESS_GROUP, `Initiator ${describeForMessage(node)} is in no access group: its CHAP settings live in its ACL, so add it to a group first`);
  }
  // One file at a time, each with its inverse: a failure at the third leaves the first two put back.
  const before = readChap(change.tree, acl.path);
  for (const file of CHAP_FILES) {
    if (before[file] === values[file]) continue;
    const rel = `${acl.path}/auth/${file}`;
    change.tree.write(rel, values[file] === '' ? 'NULL' : values[file]);
    change.journal.undo(`put ${rel} back`, () => change.tree.write(rel, before[file] === '' ? 'NULL' : before[file]));
  }
  const enforce = `${acl.path}/attrib/authentication`;
  const previous = change.tree.readOptional(enforce);
  if (previous !== undefined) {
    const wanted = values.userid !== '' ? '1' : '-1';
    if (previous !== wanted) {
      change.tree.write(enforce, wanted);
      change.journal.undo(`put ${enforce} back`, () => change.tree.write(enforce, previous));
    }
  }
  change.touched.acl(change.config.targetIqn, TPG_TAG, node);
}
