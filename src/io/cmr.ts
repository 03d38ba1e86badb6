import { UsageError } from '../errors.js';
import type { AsfSceneProperties } from '../product/gunw-id.js';
import type { Polygon, Ring } from '../product/geometry.js';
import { plainText, printable } from '../text.js';
import { z } from 'zod';
import { BODY_LIMITS, fetchBody, HttpError } from './http.js';

/**
 * Sentinel-1 scene metadata from NASA's CMR, the way asf_search queries it (granules.umm_json with
 * readable_granule_name[], provider ASF), mapped to the ASF properties the processor uses. The base URL is
 * configurable (tests replay recorded answers from 127.0.0.1).
 */

export const DEFAULT_CMR_URL = 'https://cmr.earthdata.nasa.gov';
const PAGE_SIZE = 250;
/** Pages of one search: an IW SLC search by name or by a day over a frame fills one; a loop would fill thousands. */
const MAX_PAGES = 100;

export interface AsfProduct {
  readonly properties: AsfSceneProperties & {
    readonly fileID: string;
    readonly processingLevel: string;
    readonly platform: string;
    readonly beamModeType: string;
    readonly polarization: string;
    readonly orbit: number;
    readonly url: string;
    readonly fileName: string;
    readonly bytes: number | null;
  };
  readonly geometry: Polygon;
}

/** A scene's search properties, as plan.json records them and packaging writes them into the product. */
export type SceneProperties = AsfProduct['properties'];

const text = z.string().max(4096);
const ummSchema = z.object({
  GranuleUR: text,
  TemporalExtent: z
    .object({
      RangeDateTime: z.object({ BeginningDateTime: text.optional(), EndingDateTime: text.optional() }).optional(),
    })
    .optional(),
  OrbitCalculatedSpatialDomains: z.array(z.object({ OrbitNumber: z.number().optional() })).optional(),
  AdditionalAttributes: z.array(z.object({ Name: text, Values: z.array(text) })).optional(),
  SpatialExtent: z
    .object({
      HorizontalSpatialDomain: z
        .object({
          Geometry: z
            .object({
              GPolygons: z
                .array(
                  z.object({
                    Boundary: z.object({
                      Points: z.array(z.object({ Longitude: z.number().finite(), Latitude: z.number().finite() })),
                    }),
                  }),
                )
                .optional(),
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
  RelatedUrls: z.array(z.object({ Type: text, URL: text })).optional(),
  DataGranule: z
    .object({ Identifiers: z.array(z.object({ Identifier: text, IdentifierType: text })).optional() })
    .optional(),
  Platforms: z.array(z.object({ ShortName: text })).optional(),
});

/** A granules.umm_json answer: only what the processor reads is checked; CMR's other fields pass through. */
const pageSchema = z.object({ items: z.array(z.object({ umm: ummSchema })).default([]) });

type UmmItem = { umm: z.infer<typeof ummSchema> };

/** CMR times carry fractions; asf_search reports whole seconds. */
function asfTime(text: string | undefined): string {
  if (!text) return '';
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function productOf(item: UmmItem): AsfProduct {
  const u = item.umm;
  const attribute = (name: string): string | undefined =>
    u.AdditionalAttributes?.find((a) => a.Name === name)?.Values?.[0];
  const url = u.RelatedUrls?.find((r) => r.Type === 'GET DATA' && r.URL.startsWith('http'))?.URL ?? '';
  const points = u.SpatialExtent?.HorizontalSpatialDomain?.Geometry?.GPolygons?.[0]?.Boundary.Points ?? [];
  const sceneName =
    u.DataGranule?.Identifiers?.find((i) => i.IdentifierType === 'ProducerGranuleId')?.Identifier ??
    u.GranuleUR.replace(/-[A-Z_]+$/, '');
  return {
    properties: {
      sceneName,
      fileID: u.GranuleUR,
      startTime: asfTime(u.TemporalExtent?.RangeDateTime?.BeginningDateTime),
      stopTime: asfTime(u.TemporalExtent?.RangeDateTime?.EndingDateTime),
      flightDirection: attribute('ASCENDING_DESCENDING') ?? '',
      pathNumber: Number(attribute('PATH_NUMBER')),
      processingLevel: attribute('PROCESSING_TYPE') ?? '',
      platform: attribute('ASF_PLATFORM') ?? u.Platforms?.[0]?.ShortName ?? '',
      beamModeType: attribute('BEAM_MODE_TYPE') ?? attribute('BEAM_MODE') ?? '',
      polarization: attribute('POLARIZATION') ?? '',
      orbit: Number(u.OrbitCalculatedSpatialDomains?.[0]?.OrbitNumber ?? NaN),
      url,
      fileName: url.slice(url.lastIndexOf('/') + 1),
      bytes: attribute('BYTES') ? Number(attribute('BYTES')) : null,
    },
    geometry: [points.map((p) => [p.Longitude, p.Latitude] as [number, number])],
  };
}

/** Newest first, as asf_search sorts: stop time, then file id, descending. */
export function asfSort(products: readonly AsfProduct[]): AsfProduct[] {
  return [...products].sort((a, b) =>
    a.properties.stopTime === b.properties.stopTime
      ? a.properties.fileID < b.properties.fileID
        ? 1
        : -1
      : a.properties.stopTime < b.properties.stopTime
        ? 1
        : -1,
  );
}

export interface CmrOptions {
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly backoffMs?: number;
  readonly clientId?: string;
}

/** SLC products of the named scenes (other product types sharing a name are dropped), newest first. */
export async function searchSlcScenes(names: readonly string[], options: CmrOptions = {}): Promise<AsfProduct[]> {
  const products: AsfProduct[] = [];
  for (let start = 0; start < names.length; start += PAGE_SIZE) {
    const form = new URLSearchParams();
    for (const name of names.slice(start, start + PAGE_SIZE)) form.append('readable_granule_name[]', name);
    form.append('provider', 'ASF');
    products.push(...(await searchGranules(form, options)));
  }
  return asfSort(products.filter((p) => p.properties.processingLevel === 'SLC'));
}

/** CMR's Sentinel-1 SLC collections, one per satellite (asf_search's SENTINEL1 dataset at processing level SLC). */
export const SLC_COLLECTIONS = ['SENTINEL-1A_SLC', 'SENTINEL-1B_SLC', 'SENTINEL-1C_SLC', 'SENTINEL-1D_SLC'] as const;

/** What a search by area and time asks CMR for; the answer is checked against every part of it again. */
export interface AreaSearch {
  readonly start: Date;
  readonly end: Date;
  /** Outer rings (longitude, latitude) within -180..180; a scene meeting any of them matches. */
  readonly rings: readonly Ring[];
  /** Relative orbits (paths); the search asks for the range from the lowest to the highest. */
  readonly tracks: readonly number[];
  readonly direction: 'ASCENDING' | 'DESCENDING' | null;
}

/** CMR wants polygon points counter-clockwise, the ring closed, as lon,lat,lon,lat,... */
function cmrPolygon(ring: Ring): string {
  const closed =
    ring.length > 0 && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1] ? ring : [...ring, ring[0]!];
  let twiceArea = 0;
  for (let i = 0; i + 1 < closed.length; i++)
    twiceArea += closed[i]![0] * closed[i + 1]![1] - closed[i + 1]![0] * closed[i]![1];
  const ordered = twiceArea < 0 ? [...closed].reverse() : closed;
  return ordered.map(([lon, lat]) => `${lon},${lat}`).join(',');
}

/**
 * IW SLC scenes over an area in a time window, as asf_search asks for them (the SLC collections, beam mode IW,
 * the flight direction, the relative orbits, the area, the time), newest first. Polarization is left to the
 * caller, which sees it in each scene's properties.
 */
export async function searchSlcScenesByArea(search: AreaSearch, options: CmrOptions = {}): Promise<AsfProduct[]> {
  if (search.rings.length === 0 || search.tracks.length === 0)
    throw new Error('an area search needs an area and a track');
  const form = new URLSearchParams();
  form.append('provider', 'ASF');
  for (const collection of SLC_COLLECTIONS) form.append('short_name[]', collection);
  form.append('temporal[]', `${search.start.toISOString()},${search.end.toISOString()}`);
  for (const ring of search.rings) form.append('polygon[]', cmrPolygon(ring));
  if (search.rings.length > 1) form.append('options[polygon][or]', 'true');
  form.append('attribute[]', 'string,BEAM_MODE,IW');
  if (search.direction) form.append('attribute[]', `string,ASCENDING_DESCENDING,${search.direction}`);
  form.append('attribute[]', `int,PATH_NUMBER,${Math.min(...search.tracks)},${Math.max(...search.tracks)}`);
  return asfSort(await searchGranules(form, options));
}

/** Every page of one granule search (CMR-Search-After), each body bounded, retried when cut short. */
async function searchGranules(query: URLSearchParams, options: CmrOptions): Promise<AsfProduct[]> {
  const base = (options.baseUrl ?? DEFAULT_CMR_URL).replace(/\/+$/, '');
  const form = new URLSearchParams(query);
  form.append('page_size', String(PAGE_SIZE));
  form.append('sort_key[]', '-end_date');
  form.append('sort_key[]', 'granule_ur');
  const products: AsfProduct[] = [];
  let searchAfter: string | null = null;
  let pages = 0;
  do {
    if (++pages > MAX_PAGES)
      throw new UsageError(
        `CMR scene search at ${base} kept answering after ${MAX_PAGES} pages; is it CMR? (--cmr-url)`,
      );
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      'Client-Id': options.clientId ?? 'dockerized-topsapp',
    };
    if (searchAfter) headers['CMR-Search-After'] = searchAfter;
    let response: Response;
    let body: Buffer;
    try {
      // A search is safe to repeat: a body cut short is asked for again.
      ({ response, body } = await fetchBody(
        `${base}/search/granules.umm_json`,
        { method: 'POST', headers, body: form.toString() },
        { service: 'CMR scene search', ...options, limit: BODY_LIMITS.search },
      ));
    } catch (error) {
      throw new UsageError(
        error instanceof HttpError ? `${error.message}; is ${base} reachable? (--cmr-url)` : String(error),
      );
    }
    if (!response.ok) {
      const reason = (() => {
        try {
          return (JSON.parse(body.toString('utf8')) as { errors?: unknown[] }).errors?.map(plainText).join('; ');
        } catch {
          return undefined;
        }
      })();
      throw new UsageError(
        `CMR scene search failed: HTTP ${response.status}${reason ? ` (${printable(reason)})` : ''}`,
      );
    }
    const items = pageItems(body, base);
    products.push(...items);
    searchAfter = items.length > 0 ? response.headers.get('cmr-search-after') : null;
  } while (searchAfter);
  return products;
}

/** The items of one answer, each checked for what the processor reads; an answer of another shape is refused. */
function pageItems(body: Buffer, base: string): AsfProduct[] {
  let page: unknown;
  try {
    page = JSON.parse(body.toString('utf8'));
  } catch {
    throw new UsageError(`CMR scene search at ${base} answered with a body that is not JSON; is it CMR? (--cmr-url)`);
  }
  const parsed = pageSchema.safeParse(page);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `CMR scene search at ${base} answered with granules of an unexpected shape (${issue.path.join('.') || 'the answer'}: ${issue.message}); is it CMR? (--cmr-url)`,
    );
  }
  return parsed.data.items.map(productOf);
}
