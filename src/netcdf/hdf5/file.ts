import { fstatSync } from 'node:fs';
import { readAttributes, type ObjectAttributes } from './attributes.js';
import { Hdf5FormatError } from './errors.js';
import { FileBytes } from './file-bytes.js';
import { GlobalHeap } from './global-heap.js';
import { readGroupLinks, type GroupLinks } from './links.js';
import { readObject, type Hdf5Object } from './objects.js';
import { readSuperblock, type Superblock } from './superblock.js';

/** An HDF5 file opened for reading with the project's own parser: objects by address, their links and attributes. */
export class Hdf5File {
  readonly heap: GlobalHeap;

  private constructor(
    readonly bytes: FileBytes,
    readonly superblock: Superblock,
  ) {
    this.heap = new GlobalHeap(bytes);
  }

  /** Opens `path`; refuses a file shorter than its superblock says, as HDF5 does. */
  static open(path: string): Hdf5File {
    const bytes = new FileBytes(path);
    try {
      const size = fstatSync(bytes.fd).size;
      const superblock = readSuperblock(bytes, size);
      // HDF5 compares the stored end-of-file address with the file's size as is, whatever the base address.
      const end = superblock.endOfFile;
      if (Number.isFinite(end) && end > size) throw new Hdf5FormatError(`truncated file: the file has ${size} bytes, its superblock says ${end}`);
      return new Hdf5File(bytes, superblock);
    } catch (error) {
      bytes.close();
      throw error;
    }
  }

  get offsetSize(): number {
    return this.bytes.offsetSize;
  }

  object(address: number): Hdf5Object {
    return readObject(this.bytes, address);
  }

  links(object: Hdf5Object): GroupLinks {
    return readGroupLinks(this.bytes, object.messages);
  }

  attributes(object: Hdf5Object): ObjectAttributes {
    return readAttributes(this.bytes, object.messages);
  }

  close(): void {
    this.bytes.close();
  }
}
