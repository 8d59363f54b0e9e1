/**
 * This machine's disks and enclosure LEDs, from sysfs (`@openlsm/localdisk`): no URI, no plugin.
 */
import { LedStatus } from '@openlsm/core';
import { listLedSlots, listLocalDisks, setLedSlot, setLocalDiskLed } from '@openlsm/localdisk';
import { ArgError } from '../errors.js';
import { ledSlotView, localDiskView } from '../output/columns-local.js';
import { type Handler, str } from './handler.js';

const list: Handler = async (ctx) => {
  ctx.out.objects(localDiskView, await listLocalDisks());
};

const led = (which: 'ident' | 'fault', on: boolean): Handler => async (_ctx, opts) => {
  await setLocalDiskLed(str(opts, 'path'), which, on);
};

const STATES: Record<string, number> = {
  IDENT_ON: LedStatus.IDENT_ON, IDENT_OFF: LedStatus.IDENT_OFF, FAULT_ON: LedStatus.FAULT_ON, FAULT_OFF: LedStatus.FAULT_OFF,
};

/** `IDENT_ON`, `FAULT_OFF`, or two joined by ':' (`IDENT_ON:FAULT_OFF`), as an LED_STATUS bitmap. */
export function ledState(text: string): number {
  const parts = text.toUpperCase().split(':');
  if (parts.length > 2) throw new ArgError(`--state ${JSON.stringify(text.slice(0, 64))}: at most two states joined by ':'`);
  let state = 0;
  for (const p of parts) {
    const bit = STATES[p];
    if (bit === undefined) throw new ArgError(`--state ${JSON.stringify(text.slice(0, 64))}: use IDENT_ON, IDENT_OFF, FAULT_ON, FAULT_OFF or two joined by ':'`);
    state |= bit;
  }
  return state;
}

const slotList: Handler = async (ctx) => {
  ctx.out.objects(ledSlotView, await listLedSlots());
};

const slotSet: Handler = async (_ctx, opts) => {
  await setLedSlot(str(opts, 'slot'), ledState(str(opts, 'state')));
};

export const handlers: Record<string, Handler> = {
  'local-disk-list': list,
  'local-disk-ident-led-on': led('ident', true),
  'local-disk-ident-led-off': led('ident', false),
  'local-disk-fault-led-on': led('fault', true),
  'local-disk-fault-led-off': led('fault', false),
  'local-led-slot-list': slotList,
  'local-led-slot-set': slotSet,
};
