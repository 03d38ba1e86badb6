import { httpSource } from '../io/byte-source.js';
import { HttpError, type HttpOptions } from '../io/http.js';
import { GeoTiff } from '../io/tiff.js';

/**
 * A set of remote cloud-optimised GeoTIFF tiles (GLO-30, Pekel water occurrence) opened once each, by URL. A tile
 * the server does not have (404/403) is `null`: these global sets leave out tiles of open sea.
 */
export class RemoteTiles {
  private readonly open = new Map<string, Promise<GeoTiff | null>>();

  constructor(private readonly http?: HttpOptions) {}

  tile(url: string): Promise<GeoTiff | null> {
    let tile = this.open.get(url);
    if (!tile) {
      tile = GeoTiff.open(httpSource(url, this.http)).catch((error: unknown) => {
        if (error instanceof HttpError && (error.status === 404 || error.status === 403)) return null;
        throw error;
      });
      this.open.set(url, tile);
    }
    return tile;
  }

  /** How many of the tiles asked for so far exist. */
  async found(): Promise<number> {
    let n = 0;
    for (const tile of this.open.values()) if (await tile) n++;
    return n;
  }

  async close(): Promise<void> {
    for (const tile of this.open.values()) await (await tile)?.close();
  }
}
