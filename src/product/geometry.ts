import * as polyclip from 'polyclip-ts';

/** Longitude/latitude polygons (GeoJSON order), in planar degrees as the original plugin computed them. */
export type Ring = [number, number][];
export type Polygon = Ring[];
export type MultiPolygon = Polygon[];
export type Bounds = [xmin: number, ymin: number, xmax: number, ymax: number];

export function union(...shapes: (Polygon | MultiPolygon)[]): MultiPolygon {
  const [first, ...rest] = shapes;
  return first ? polyclip.union(first, ...rest) : [];
}

export function intersection(a: Polygon | MultiPolygon, b: Polygon | MultiPolygon): MultiPolygon {
  return polyclip.intersection(a, b);
}

export function bounds(shape: MultiPolygon): Bounds {
  const xs = shape.flatMap((p) => p.flatMap((ring) => ring.map(([x]) => x)));
  const ys = shape.flatMap((p) => p.flatMap((ring) => ring.map(([, y]) => y)));
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** Shoelace area of the outer rings minus the holes, in square degrees. */
export function area(shape: MultiPolygon): number {
  const ringArea = (ring: readonly [number, number][]): number => {
    let sum = 0;
    for (let i = 0; i < ring.length; i++) {
      const [x1, y1] = ring[i]!;
      const [x2, y2] = ring[(i + 1) % ring.length]!;
      sum += x1 * y2 - x2 * y1;
    }
    return Math.abs(sum) / 2;
  };
  return shape.reduce(
    (total, polygon) => total + polygon.reduce((a, ring, i) => a + (i === 0 ? 1 : -1) * ringArea(ring), 0),
    0,
  );
}

export function isEmpty(shape: MultiPolygon): boolean {
  return shape.length === 0 || area(shape) === 0;
}

/** A GeoJSON Polygon or MultiPolygon geometry as a MultiPolygon. */
export function fromGeoJson(geometry: { type: string; coordinates: unknown }): MultiPolygon {
  if (geometry.type === 'Polygon') return [geometry.coordinates as Polygon];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates as MultiPolygon;
  throw new Error(`expected a Polygon or MultiPolygon geometry, got ${geometry.type}`);
}

export function toGeoJson(shape: MultiPolygon): { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown } {
  return shape.length === 1 ? { type: 'Polygon', coordinates: shape[0] } : { type: 'MultiPolygon', coordinates: shape };
}
