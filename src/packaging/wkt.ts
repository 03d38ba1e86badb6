import type { MultiPolygon } from '../product/geometry.js';

/**
 * Well-known text of polygons in the two spellings a GUNW carries: OGR's for `productBoundingBox` (15 significant
 * digits, no space after commas) and shapely's for `product_geometry_wkt` (shortest round-trip numbers, ", ").
 */

const ogrNumber = (v: number): string => String(Number(v.toPrecision(15)));

function rings(shape: MultiPolygon, number: (v: number) => string, separator: string): string[] {
  return shape.map(
    (polygon) =>
      `(${polygon.map((ring) => `(${ring.map(([x, y]) => `${number(x)} ${number(y)}`).join(separator)})`).join(', ')})`,
  );
}

export function ogrWkt(shape: MultiPolygon): string {
  const parts = rings(shape, ogrNumber, ',');
  return shape.length === 1 ? `POLYGON ${parts[0]}` : `MULTIPOLYGON (${parts.join(',')})`;
}

export function shapelyWkt(shape: MultiPolygon): string {
  const parts = rings(shape, String, ', ');
  return shape.length === 1 ? `POLYGON ${parts[0]}` : `MULTIPOLYGON (${parts.join(', ')})`;
}

/** The OGC WKT1 of EPSG:4326 as OSR writes it (what the original stored in crs_wkt and spatial_ref). */
export const EPSG_4326_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';
