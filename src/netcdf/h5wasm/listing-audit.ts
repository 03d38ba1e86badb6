import type { Dataset, Group } from 'h5wasm/node';
import { ProductReadError } from '../../errors.js';
import { objectCensus, type Census } from '../hdf5/census.js';
import { Hdf5FormatError, Hdf5LimitError } from '../hdf5/errors.js';
import { FileBytes } from '../hdf5/file-bytes.js';
import { readSuperblock } from '../hdf5/superblock.js';
import type { ListingAudit } from './structure.js';

/** The object header address of an h5wasm object (its object reference holds the address). */
export function objectAddress(object: Group | Dataset): number {
  return Number(Buffer.from(object.create_reference().ref_data).readBigUInt64LE(0));
}

/**
 * Checks every object's attribute and link lists against the counts its header declares, with one file handle,
 * refusing a product whose lists HDF5 cut short. Close it when the structure has been read.
 */
export function listingAudit(path: string): { readonly audit: ListingAudit; close(): void } {
  const file = new FileBytes(path);
  const checkedCollections = new Set<number>();
  const damaged = (object: Group | Dataset, problem: string, cause?: unknown): ProductReadError =>
    new ProductReadError(
      path,
      cause instanceof Hdf5LimitError ? `refused: ${problem}` : `damaged: ${problem}`,
      object.path,
      cause === undefined ? undefined : { cause },
    );
  try {
    readSuperblock(file);
  } catch (error) {
    file.close();
    if (error instanceof Hdf5FormatError)
      throw new ProductReadError(path, `damaged: ${error.message}`, undefined, { cause: error });
    throw error;
  }
  return {
    audit(object, address) {
      let census: Census;
      try {
        census = objectCensus(file, Number.isFinite(address) ? address : objectAddress(object), checkedCollections);
      } catch (error) {
        if (error instanceof Hdf5FormatError) throw damaged(object, error.message, error);
        throw error;
      }
      return (attributes, links) => {
        if (census.attributes !== attributes)
          throw damaged(object, `HDF5 lists ${attributes} of the ${census.attributes} attributes its header declares`);
        if (links !== null && census.links !== null && census.links !== links)
          throw damaged(object, `HDF5 lists ${links} of the ${census.links} members its header declares`);
      };
    },
    close: () => file.close(),
  };
}
