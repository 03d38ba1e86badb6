import { UsageError } from '../errors.js';
import { attributeOf, joinPath, parentPath, type NcGroup, type NcVariable } from '../netcdf/model.js';
import { axisKind } from '../product/gunw-layout.js';
import type { GridReport } from './report-schema.js';

/** How one dimension of the reference maps onto the candidate: candidate index = reference index - offset. */
export interface AxisAlignment {
  /** Coordinate variable path, or null for a dimension without a latitude/longitude coordinate. */
  readonly coordinate: string | null;
  readonly kind: 'latitude' | 'longitude' | null;
  readonly offset: number;
  readonly subPixelShift: number;
  /** Overlap in reference indices: [referenceStart, referenceStart + count). */
  readonly referenceStart: number;
  readonly count: number;
  readonly referenceSize: number;
  readonly candidateSize: number;
}

/** Coordinates needed to align grids: whole 1-D coordinate variables of either product. */
export type CoordinateLookup = (side: 'reference' | 'candidate', path: string) => Float64Array;

/** Relative difference in pixel spacing below which two grids count as having the same resolution. */
const SAME_SPACING = 1e-6;
/** A shift smaller than this fraction of a pixel is rounding noise in the stored coordinates. */
const NEGLIGIBLE_SHIFT = 1e-3;

/**
 * The coordinate variable that names dimension `dimension` as seen from `variable` (netCDF scoping: own group, then
 * ancestors).
 */
export function coordinateFor(root: NcGroup, variable: NcVariable, dimension: string): NcVariable | undefined {
  const groups = new Map<string, NcGroup>();
  const collect = (g: NcGroup): void => {
    groups.set(g.path, g);
    g.groups.forEach(collect);
  };
  collect(root);
  for (let scope = parentPath(variable.path); ; scope = parentPath(scope)) {
    const found = groups.get(scope)?.variables.find((v) => v.path === joinPath(scope, dimension) && v.isCoordinate);
    if (found) return found;
    if (scope === '/') return undefined;
  }
}

function spacing(values: Float64Array): number {
  return values.length > 1 ? (values[values.length - 1]! - values[0]!) / (values.length - 1) : 0;
}

export function alignAxis(
  coordinate: string,
  kind: 'latitude' | 'longitude',
  reference: Float64Array,
  candidate: Float64Array,
  files: { reference: string; candidate: string },
): AxisAlignment {
  const [na, nb] = [reference.length, candidate.length];
  const step = spacing(reference);
  const candidateStep = spacing(candidate);
  let offset = 0;
  let subPixelShift = 0;
  if (step !== 0 && nb > 0 && na > 0) {
    if (candidateStep !== 0 && Math.abs(candidateStep - step) > SAME_SPACING * Math.abs(step)) {
      throw new UsageError(
        `${files.candidate}: ${coordinate} spacing ${candidateStep} differs from the reference's ${step} (${files.reference}); ` +
          'products at different resolutions cannot be compared pixel by pixel',
      );
    }
    const position = (candidate[0]! - reference[0]!) / step;
    offset = Math.round(position);
    subPixelShift = position - offset;
    if (Math.abs(subPixelShift) < NEGLIGIBLE_SHIFT) subPixelShift = 0;
  }
  const start = Math.max(0, offset);
  const end = Math.min(na, offset + nb);
  if (end <= start) {
    throw new UsageError(
      `${files.reference} and ${files.candidate} do not overlap: ${coordinate} spans ` +
        `[${reference[0]}, ${reference[na - 1]}] in the reference and [${candidate[0]}, ${candidate[nb - 1]}] in the candidate`,
    );
  }
  return {
    coordinate,
    kind,
    offset,
    subPixelShift,
    referenceStart: start,
    count: end - start,
    referenceSize: na,
    candidateSize: nb,
  };
}

function plainAxis(referenceSize: number, candidateSize: number): AxisAlignment {
  return {
    coordinate: null,
    kind: null,
    offset: 0,
    subPixelShift: 0,
    referenceStart: 0,
    count: Math.min(referenceSize, candidateSize),
    referenceSize,
    candidateSize,
  };
}

/**
 * Aligns every dimension of common variables. Latitude/longitude axes are matched by their coordinate values,
 * so products with different extents are compared on their overlap; other dimensions on their common leading part.
 */
export class GridAligner {
  private readonly axes = new Map<string, AxisAlignment>();

  constructor(
    private readonly reference: NcGroup,
    private readonly candidate: NcGroup,
    private readonly coordinates: CoordinateLookup,
    private readonly files: { reference: string; candidate: string },
  ) {}

  alignVariable(referenceVariable: NcVariable, candidateVariable: NcVariable): AxisAlignment[] {
    return referenceVariable.shape.map((size, d) => {
      const candidateSize = candidateVariable.shape[d] ?? 0;
      const dimension = referenceVariable.dimensions[d];
      if (!dimension || candidateVariable.dimensions[d] !== dimension) return plainAxis(size, candidateSize);
      const coordinateA = coordinateFor(this.reference, referenceVariable, dimension);
      const coordinateB = coordinateFor(this.candidate, candidateVariable, dimension);
      if (!coordinateA || !coordinateB || coordinateA.path !== coordinateB.path) return plainAxis(size, candidateSize);
      const standardName = attributeOf(coordinateA, 'standard_name')?.value;
      const kind = axisKind(coordinateA.name, typeof standardName === 'string' ? standardName : undefined);
      if (!kind) return plainAxis(size, candidateSize);
      let axis = this.axes.get(coordinateA.path);
      if (!axis) {
        axis = alignAxis(
          coordinateA.path,
          kind,
          this.coordinates('reference', coordinateA.path),
          this.coordinates('candidate', coordinateB.path),
          this.files,
        );
        this.axes.set(coordinateA.path, axis);
      }
      return axis;
    });
  }
}

/** Every latitude/longitude pair used by a variable, as reported in `grids[]`. */
export function gridReports(pairs: Iterable<[AxisAlignment, AxisAlignment]>): GridReport[] {
  const seen = new Map<string, GridReport>();
  for (const [lat, lon] of pairs) {
    const key = `${lat.coordinate}|${lon.coordinate}`;
    if (seen.has(key) || !lat.coordinate || !lon.coordinate) continue;
    seen.set(key, {
      latitude: lat.coordinate,
      longitude: lon.coordinate,
      referenceShape: [lat.referenceSize, lon.referenceSize],
      candidateShape: [lat.candidateSize, lon.candidateSize],
      offset: [lat.offset, lon.offset],
      subPixelShift: [lat.subPixelShift, lon.subPixelShift],
      overlap: [lat.count, lon.count],
      aligned:
        lat.offset === 0 &&
        lon.offset === 0 &&
        lat.subPixelShift === 0 &&
        lon.subPixelShift === 0 &&
        lat.referenceSize === lat.candidateSize &&
        lon.referenceSize === lon.candidateSize,
    });
  }
  return [...seen.values()];
}
