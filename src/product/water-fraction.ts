import { area, bounds, intersection, type Bounds, type MultiPolygon } from './geometry.js';

/**
 * How much of an interferogram is water, as the Python plugin judges it before processing: 1 − area(land ∩ ifg) /
 * area(ifg), with planar areas in degrees, land being Natural Earth's 10 m polygons. At 80 % or more it warns that
 * ISCE2 may fail for want of bursts over land, and goes on.
 */

export const WATER_WARNING_PERCENT = 80;

type Ring = [number, number][];

/** One ring cut to a rectangle (Sutherland–Hodgman); its area inside the rectangle is kept exactly. */
function clipRing(ring: readonly [number, number][], [xmin, ymin, xmax, ymax]: Bounds): Ring {
  const edges: [(p: readonly number[]) => boolean, (a: readonly number[], b: readonly number[]) => [number, number]][] =
    [
      [(p) => p[0]! >= xmin, (a, b) => [xmin, a[1]! + ((b[1]! - a[1]!) * (xmin - a[0]!)) / (b[0]! - a[0]!)]],
      [(p) => p[0]! <= xmax, (a, b) => [xmax, a[1]! + ((b[1]! - a[1]!) * (xmax - a[0]!)) / (b[0]! - a[0]!)]],
      [(p) => p[1]! >= ymin, (a, b) => [a[0]! + ((b[0]! - a[0]!) * (ymin - a[1]!)) / (b[1]! - a[1]!), ymin]],
      [(p) => p[1]! <= ymax, (a, b) => [a[0]! + ((b[0]! - a[0]!) * (ymax - a[1]!)) / (b[1]! - a[1]!), ymax]],
    ];
  let points: Ring = ring.map(([x, y]) => [x, y]);
  for (const [inside, cut] of edges) {
    if (points.length === 0) break;
    const next: Ring = [];
    for (let i = 0; i < points.length; i++) {
      const current = points[i]!;
      const previous = points[(i + points.length - 1) % points.length]!;
      if (inside(current)) {
        if (!inside(previous)) next.push(cut(previous, current));
        next.push(current);
      } else if (inside(previous)) next.push(cut(previous, current));
    }
    points = next;
  }
  return points;
}

const overlaps = (a: Bounds, b: Bounds): boolean => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/**
 * Land near the interferogram only: polygons whose box meets its box, each ring cut to that box, so the exact
 * intersection below works on a few hundred vertices instead of a continent's hundreds of thousands.
 */
function landNear(land: MultiPolygon, box: Bounds): MultiPolygon {
  const near: MultiPolygon = [];
  const closed = (ring: Ring): Ring => [...ring, ring[0]!];
  for (const polygon of land) {
    if (!polygon[0] || !overlaps(bounds([polygon]), box)) continue;
    const outer = clipRing(polygon[0], box);
    if (outer.length < 3) continue;
    const holes = polygon
      .slice(1)
      .map((ring) => clipRing(ring, box))
      .filter((ring) => ring.length >= 3);
    near.push([outer, ...holes].map(closed));
  }
  return near;
}

/** Percentage of the interferogram's area that is not land (0–100). */
export function waterPercent(interferogram: MultiPolygon, land: MultiPolygon): number {
  const total = area(interferogram);
  if (total === 0) return 0;
  const near = landNear(land, bounds(interferogram));
  const onLand = near.length === 0 ? 0 : area(intersection(interferogram, near));
  return Math.min(100, Math.max(0, (1 - onLand / total) * 100));
}

/** The plugin's warning, when the interferogram is mostly water; null otherwise. */
export function waterWarning(percent: number): string | null {
  return percent >= WATER_WARNING_PERCENT
    ? `The IFG is ${percent.toFixed(2)}% water; If there are not enough bursts over land - ISCE2 will fail.`
    : null;
}
