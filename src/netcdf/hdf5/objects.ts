import type { FileBytes } from './file-bytes.js';
import { datatypeOf } from './attributes.js';
import { parseDataspace, type Dataspace } from './dataspace.js';
import type { Hdf5Type } from './datatype.js';
import { Hdf5FormatError } from './errors.js';
import { parseFillValue } from './fill-value.js';
import { parseFilterPipeline, type PipelineFilter } from './filters.js';
import { parseLayout, type DataLayout } from './layout.js';
import { MESSAGE, readHeaderMessages, SHARED_MESSAGE_FLAG, type HeaderMessage } from './object-header.js';

export interface Hdf5Dataset {
  readonly type: Hdf5Type;
  readonly space: Dataspace;
  readonly layout: DataLayout;
  readonly filters: readonly PipelineFilter[];
  /** Bytes of one element that unwritten storage reads as; null means zero bytes. */
  readonly fillValue: Buffer | null;
}

export type Hdf5Object =
  | { readonly kind: 'group'; readonly address: number; readonly messages: readonly HeaderMessage[] }
  | { readonly kind: 'dataset'; readonly address: number; readonly messages: readonly HeaderMessage[]; readonly dataset: Hdf5Dataset }
  | { readonly kind: 'datatype'; readonly address: number; readonly messages: readonly HeaderMessage[] };

function find(messages: readonly HeaderMessage[], type: number): HeaderMessage | undefined {
  return messages.find((m) => m.type === type);
}

/** Read the object header at `address` and tell a group, a dataset and a committed datatype apart as HDF5 does. */
export function readObject(file: FileBytes, address: number): Hdf5Object {
  const messages = readHeaderMessages(file, address);
  if (find(messages, MESSAGE.SYMBOL_TABLE) || find(messages, MESSAGE.LINK_INFO)) return { kind: 'group', address, messages };
  const typeMessage = find(messages, MESSAGE.DATATYPE);
  const spaceMessage = find(messages, MESSAGE.DATASPACE);
  if (typeMessage && spaceMessage) return { kind: 'dataset', address, messages, dataset: datasetOf(file, messages, typeMessage, spaceMessage) };
  if (typeMessage) return { kind: 'datatype', address, messages };
  // A group written without link or symbol table messages (an empty group in a minimal header).
  return { kind: 'group', address, messages };
}

function datasetOf(file: FileBytes, messages: readonly HeaderMessage[], typeMessage: HeaderMessage, spaceMessage: HeaderMessage): Hdf5Dataset {
  const type = datatypeOf(file, typeMessage.data, (typeMessage.flags & SHARED_MESSAGE_FLAG) !== 0);
  const space = parseDataspace(spaceMessage.data, file.lengthSize);
  const layoutMessage = find(messages, MESSAGE.LAYOUT);
  if (!layoutMessage) throw new Hdf5FormatError('a dataset without a data layout message');
  let layout = parseLayout(layoutMessage.data, file.offsetSize, file.lengthSize);
  if (find(messages, MESSAGE.EXTERNAL_FILES)) layout = { kind: 'other', reason: 'data in external files', chunks: null };
  const pipeline = find(messages, MESSAGE.FILTER_PIPELINE);
  const fill = find(messages, MESSAGE.FILL_VALUE);
  const oldFill = find(messages, MESSAGE.FILL_VALUE_OLD);
  const fillValue = fill ? parseFillValue(fill.data, false) : oldFill ? parseFillValue(oldFill.data, true) : null;
  return { type, space, layout, filters: pipeline ? parseFilterPipeline(pipeline.data) : [], fillValue };
}
