/**
 * The body encoding of a frame: plain MessagePack, one self-contained value per frame.
 *
 * msgpackr's records extension is off so that any MessagePack library (Python's msgpack, Go's vmihailenco) can
 * read and write our frames. 64-bit integers decode as `bigint`, so lsm's 2 EiB sizes stay exact; `undefined`
 * packs as nil rather than as msgpackr's private extension.
 */
import { Packr } from 'msgpackr';

const packr = new Packr({
  useRecords: false,
  int64AsType: 'bigint',
  encodeUndefinedAsNil: true,
  mapsAsObjects: true,
  // Strings are never deduplicated across messages: every frame must decode on its own.
  bundleStrings: false,
});

export function encodeBody(value: unknown): Buffer {
  return packr.pack(value);
}

/** Decodes one frame body; throws when the bytes are not exactly one MessagePack value. */
export function decodeBody(body: Uint8Array): unknown {
  return packr.unpack(body);
}
