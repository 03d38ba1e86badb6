import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openShp } from 'shapefile';
import { UsageError } from '../errors.js';
import type { MultiPolygon } from '../product/geometry.js';
import { zipEntries } from './zip.js';

/**
 * Natural Earth's 1:10m land polygons (public domain), the copy the Python plugin bundles
 * (`isce2_topsapp/data/ne_10m_land.zip`, commit ebe052c), read from the shapefile inside the archive with the
 * `shapefile` library. Polygons are kept per shapefile record, rings as given (lon/lat degrees).
 */

export const LAND_POLYGONS_PATH = join(import.meta.dirname, '../../data/ne_10m_land.zip');

let cached: Promise<MultiPolygon> | null = null;

async function read(path: string): Promise<MultiPolygon> {
  let archive: Buffer;
  try {
    archive = readFileSync(path);
  } catch {
    throw new UsageError(`the land polygons ${path} are missing from the installation (reinstall the package)`);
  }
  const shp = (await zipEntries(archive, path)).find((e) => e.name.toLowerCase().endsWith('.shp'));
  if (!shp) throw new UsageError(`${path} holds no .shp file`);
  const bytes = await shp.read();
  const source = await openShp(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  );
  const polygons: MultiPolygon = [];
  for (let record = await source.read(); !record.done; record = await source.read()) {
    const geometry = record.value;
    if (geometry.type === 'Polygon') polygons.push(geometry.coordinates as MultiPolygon[number]);
    else if (geometry.type === 'MultiPolygon') polygons.push(...(geometry.coordinates as MultiPolygon));
  }
  return polygons;
}

/** Every land polygon, read once per process. */
export function landPolygons(path = LAND_POLYGONS_PATH): Promise<MultiPolygon> {
  if (path !== LAND_POLYGONS_PATH) return read(path);
  cached ??= read(path);
  return cached;
}
