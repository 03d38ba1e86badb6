import type { FileBytes } from './file-bytes.js';
import { Hdf5FormatError, Hdf5LimitError } from './errors.js';
import { openFractalHeap } from './fractal-heap.js';

/** The version-2 B-tree record type of dense attribute storage's name index. */
const ATTRIBUTE_NAME_RECORDS = 8;
/** Heap IDs of attribute messages are 8 bytes (HDF5's H5O_FHEAP_ID_LEN). */
const HEAP_ID_BYTES = 8;
/** The record's message flag saying the heap holds a reference to a shared message, not the message. */
const SHARED_MESSAGE = 0x02;

/**
 * Each attribute message of an object whose attributes are in dense storage, handed to `visit` one at a time so
 * that only one is held: the records of the name index (`names`) give each message's heap ID, the fractal heap at
 * `heapAddress` holds the message. A message over `maxMessageBytes` is refused as a limit before it is read.
 */
export function forEachDenseAttribute(
  file: FileBytes,
  heapAddress: number,
  names: { readonly type: number; readonly records: readonly Buffer[] },
  maxMessageBytes: number,
  visit: (message: Buffer) => void,
): void {
  if (names.type !== ATTRIBUTE_NAME_RECORDS) throw new Hdf5FormatError(`attribute name index of type ${names.type}`);
  if (names.records.length === 0) return;
  const heap = openFractalHeap(file, heapAddress, maxMessageBytes);
  if (!heap) return;
  for (const record of names.records) {
    if (record.length < HEAP_ID_BYTES + 1) throw new Hdf5FormatError('attribute name index records are too short');
    if ((record[HEAP_ID_BYTES]! & SHARED_MESSAGE) !== 0) continue;
    const message = heap.object(record.subarray(0, HEAP_ID_BYTES));
    if (message && message.size > maxMessageBytes)
      throw new Hdf5LimitError(
        `attribute ${attributeName(message.bytes)} takes ${message.size.toLocaleString('en-US')} bytes of the file, more than the ${maxMessageBytes / 1024 / 1024} MiB any product attribute needs`,
      );
    if (message) visit(message.bytes);
  }
}

/** The name at the start of an attribute message (version 1 to 3), for a refusal to name; "?" when unreadable. */
function attributeName(message: Buffer): string {
  const version = message[0];
  const at = version === 3 ? 9 : 8;
  if (message.length < at || (version !== 1 && version !== 2 && version !== 3)) return '?';
  const end = message.indexOf(0, at);
  const name = message.toString('utf8', at, end < 0 ? Math.min(message.length, at + message.readUInt16LE(2)) : end);
  return name.length > 0 && name.length <= 256 ? JSON.stringify(name).slice(1, -1) : '?';
}
