import { descendants, parseXml, type XmlElement } from './xml.js';
import type { Bounds, Polygon } from '../product/geometry.js';

/**
 * The parts of a Sentinel-1 IW SLC product annotation (`annotation/s1?-iw?-slc-*.xml`) that locate its bursts:
 * the swath, polarisation, pass, lines per burst, burst count and the geolocation grid (line, pixel → lon, lat).
 * Read as XML (the same parser as ISCE2's files), so namespaces, attribute order and entities are no concern.
 */

export interface GridPoint {
  readonly line: number;
  readonly pixel: number;
  readonly latitude: number;
  readonly longitude: number;
}

export interface SwathAnnotation {
  readonly swath: string;
  readonly polarisation: string;
  readonly pass: 'ASCENDING' | 'DESCENDING';
  readonly linesPerBurst: number;
  readonly burstCount: number;
  readonly grid: readonly GridPoint[];
}

/** The text of the first element called `name` below `root`, in document order. */
function element(root: XmlElement, name: string, source: string): string {
  const found = descendants(root, (e) => e.name === name)[0];
  if (!found) throw new Error(`${source}: no <${name}> element; is this a Sentinel-1 product annotation?`);
  return found.text.trim();
}

export function parseSwathAnnotation(xml: string, source = 'annotation'): SwathAnnotation {
  const root = parseXml(xml, source);
  const grid: GridPoint[] = descendants(root, (e) => e.name === 'geolocationGridPoint').map((point) => ({
    line: Number(element(point, 'line', source)),
    pixel: Number(element(point, 'pixel', source)),
    latitude: Number(element(point, 'latitude', source)),
    longitude: Number(element(point, 'longitude', source)),
  }));
  if (grid.length === 0) throw new Error(`${source}: the geolocation grid is empty`);
  const pass = element(root, 'pass', source).toUpperCase();
  if (pass !== 'ASCENDING' && pass !== 'DESCENDING')
    throw new Error(`${source}: pass "${pass}" is neither Ascending nor Descending`);
  const burstList = descendants(root, (e) => e.name === 'burstList')[0];
  return {
    swath: element(root, 'swath', source),
    polarisation: element(root, 'polarisation', source),
    pass,
    linesPerBurst: Number(element(root, 'linesPerBurst', source)),
    burstCount: burstList ? Number(burstList.attributes.count ?? 0) : 0,
    grid,
  };
}

/**
 * The ground footprint of burst `burst` (from 1): the geolocation grid rows at its first and last line, walked
 * round as a closed ring.
 */
export function burstFootprint(annotation: SwathAnnotation, burst: number, source = 'annotation'): Polygon {
  if (burst < 1 || burst > annotation.burstCount) {
    throw new Error(
      `${source}: burst ${burst} does not exist (${annotation.swath} has ${annotation.burstCount} burst${annotation.burstCount === 1 ? '' : 's'})`,
    );
  }
  const row = (line: number): GridPoint[] =>
    annotation.grid.filter((p) => p.line === line).sort((a, b) => a.pixel - b.pixel);
  const lines = [...new Set(annotation.grid.map((p) => p.line))].sort((a, b) => a - b);
  // The grid rows sit at burst boundaries, though not always exactly at multiples of linesPerBurst: take the nearest.
  const nearest = (line: number): number =>
    lines.reduce((best, l) => (Math.abs(l - line) < Math.abs(best - line) ? l : best), lines[0]!);
  const first = row(nearest((burst - 1) * annotation.linesPerBurst));
  const last = row(nearest(burst * annotation.linesPerBurst));
  const ring: [number, number][] = [...first, ...last.reverse()].map((p) => [p.longitude, p.latitude]);
  ring.push(ring[0]!);
  return [ring];
}

/** A small box (half-width `buffer` degrees) around a point: a region of interest that selects one burst. */
export function boxAround([x, y]: readonly [number, number], buffer: number): Bounds {
  // Micro-degrees (about 0.1 m) are plenty for a region of interest and keep topsApp.xml readable.
  const round = (v: number): number => Math.round(v * 1e6) / 1e6;
  return [round(x - buffer), round(y - buffer), round(x + buffer), round(y + buffer)];
}
