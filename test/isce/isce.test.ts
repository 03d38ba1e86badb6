import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isceTime } from '../../src/isce/component.js';
import { orbitType, radarExtent, readProcessingSummary, readSwathProducts } from '../../src/isce/products.js';
import { RasterReader, readRasterInfo } from '../../src/isce/raster.js';
import { parseXml } from '../../src/isce/xml.js';
import { imageXml } from '../../src/isce/write-xml.js';
import { writeIsceSample } from '../../src/sample/isce/index.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/isce2');

describe('ISCE2 XML', () => {
  it('reads topsProc.xml of a real run: every baseline in document order and the ISCE release', () => {
    const summary = readProcessingSummary(join(FIXTURES, 'topsProc.xml'));
    expect(summary.isceVersion).toBe('2.6.1');
    expect(summary.parallelBaselines.map((v) => Number(v.toFixed(3)))).toEqual([
      69.339, 69.226, 80.193, 80.107, 88.91, 88.872,
    ]);
    expect(summary.perpendicularBaselines.map((v) => Number(v.toFixed(3)))).toEqual([
      -136.448, -136.902, -130.295, -130.868, -124.436, -125.013,
    ]);
  });

  it('parses attributes, entities and comments, and names the line of malformed input', () => {
    const root = parseXml('<?xml version="1.0"?>\n<!-- c --><a x="1 &amp; 2"><b>&lt;t&gt;</b><c/></a>');
    expect(root.attributes.x).toBe('1 & 2');
    expect(root.children.map((c) => [c.name, c.text])).toEqual([
      ['b', '<t>'],
      ['c', ''],
    ]);
    expect(() => parseXml('<a>\n<b></a>', 'x.xml')).toThrow(
      /^x\.xml: Expected closing tag 'b' \(opened in line 2, col 1\) instead of closing tag 'a'\. at line 2$/,
    );
    expect(() => parseXml('<a>', 'y.xml')).toThrow("y.xml: Unclosed tag 'a'. at line 1");
    expect(parseXml('<a><![CDATA[<raw> &amp;]]>&#65;&#x42;</a>').text).toBe('<raw> &amp;AB');
  });

  it('reads ISCE times to the microsecond', () => {
    expect(isceTime('2020-06-04 02:23:12.933265', 'x') - Date.parse('2020-06-04T02:23:12Z') / 1000).toBeCloseTo(
      0.933265,
      6,
    );
    expect(() => isceTime('yesterday', 'IW1.xml')).toThrow('IW1.xml: "yesterday" is not an ISCE time');
  });

  it('reads swath products: radar parameters, burst timing, range extent, orbit and its source', async () => {
    const sample = await writeIsceSample(join(tempDir(), 'isce'));
    const swaths = readSwathProducts(join(sample.isceDir, 'reference'));
    expect(swaths.map((s) => s.swath)).toEqual([1, 2, 3]);
    expect(swaths[0]).toMatchObject({
      wavelength: 0.05546576,
      rangePixelSize: 2.329562114715323,
      passDirection: 'ASCENDING',
    });
    expect(swaths[0]!.bursts).toHaveLength(10);
    const extent = radarExtent(swaths);
    expect(extent.startingRange).toBe(800000);
    expect(extent.farRange).toBeCloseTo(891000 + 22999 * 2.329562114715323, 3);
    expect(orbitType(swaths)).toBe('precise');
    expect(swaths[0]!.orbit.vectors.length).toBe(25);
    expect(() => readSwathProducts(join(sample.isceDir, 'nowhere'))).toThrow(
      /does not exist: is this an ISCE2 topsApp directory\?/,
    );
  });
});

describe('ISCE2 rasters', () => {
  const dir = tempDir();
  const write = (name: string, data: Buffer, description: Parameters<typeof imageXml>[0]): string => {
    writeFileSync(join(dir, name), data);
    writeFileSync(join(dir, `${name}.xml`), imageXml(description));
    return join(dir, name);
  };
  const base = { width: 3, length: 2, x0: -70, dx: 0.5, y0: 48, dy: -0.5 };
  // Two bands: band 1 = 1..6, band 2 = 10..60.
  const band1 = [1, 2, 3, 4, 5, 6];
  const band2 = [10, 20, 30, 40, 50, 60];
  const floats = (values: number[]): Buffer => Buffer.from(Float32Array.from(values).buffer);

  it.each([
    ['BIL', floats([1, 2, 3, 10, 20, 30, 4, 5, 6, 40, 50, 60])],
    ['BIP', floats([1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60])],
    ['BSQ', floats([...band1, ...band2])],
  ] as const)('reads each band of a %s raster', (scheme, data) => {
    const path = write(`${scheme}.geo`, data, { ...base, file: `${scheme}.geo`, bands: 2, dataType: 'FLOAT', scheme });
    const reader = new RasterReader(readRasterInfo(path));
    expect(Array.from(reader.readRows(1, 0, 2, new Float32Array(6)))).toEqual(band1);
    expect(Array.from(reader.readRows(2, 1, 1, new Float32Array(3)))).toEqual([40, 50, 60]);
    expect(reader.info).toMatchObject({ x0: -70, dx: 0.5, y0: 48, dy: -0.5 });
    reader.close();
  });

  it.each([
    ['BYTE', Uint8Array],
    ['SHORT', Int16Array],
    ['INT', Int32Array],
    ['DOUBLE', Float64Array],
  ] as const)('reads %s rasters of every interleaving into a view inside a larger array', (dataType, View) => {
    const layouts = {
      BIL: [1, 2, 3, 10, 20, 30, 4, 5, 6, 40, 50, 60],
      BIP: [1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60],
      BSQ: [...band1, ...band2],
    };
    for (const [scheme, values] of Object.entries(layouts) as [keyof typeof layouts, number[]][]) {
      const file = `${dataType}-${scheme}.geo`;
      const data = Buffer.from(View.from(values).buffer);
      const path = write(file, data, { ...base, file, bands: 2, dataType, scheme });
      const reader = new RasterReader(readRasterInfo(path));
      const whole = new Float32Array(10).fill(-1);
      reader.readRows(2, 0, 2, whole.subarray(2, 8));
      expect(Array.from(whole), `${dataType} ${scheme}`).toEqual([-1, -1, ...band2, -1, -1]);
      reader.close();
    }
  });

  it('reads a big-endian float raster value by value', () => {
    const data = Buffer.alloc(24);
    band1.forEach((v, i) => data.writeFloatBE(v, 4 * i));
    const path = write('be.geo', data, { ...base, file: 'be.geo', bands: 1, dataType: 'FLOAT', scheme: 'BIL' });
    writeFileSync(
      `${path}.xml`,
      imageXml({ ...base, file: 'be.geo', bands: 1, dataType: 'FLOAT', scheme: 'BIL' }).replace(
        /(<property name="byte_order">\s*<value>)l/,
        '$1b',
      ),
    );
    const reader = new RasterReader(readRasterInfo(path));
    expect(reader.info.littleEndian).toBe(false);
    expect(Array.from(reader.readRows(1, 0, 2, new Float32Array(6)))).toEqual(band1);
    reader.close();
  });

  it('reads bytes and the phase or magnitude of complex rasters', () => {
    const bytes = write('cc.geo', Buffer.from([0, 1, 2, 3, 4, 255]), {
      ...base,
      file: 'cc.geo',
      bands: 1,
      dataType: 'BYTE',
      scheme: 'BIL',
    });
    expect(Array.from(new RasterReader(readRasterInfo(bytes)).readRows(1, 0, 2, new Float32Array(6)))).toEqual([
      0, 1, 2, 3, 4, 255,
    ]);
    const complex = write('ifg.geo', floats([0, 1, -1, 0, 3, 4, 1, 0, 0, -2, 0, 0]), {
      ...base,
      file: 'ifg.geo',
      bands: 1,
      dataType: 'CFLOAT',
      scheme: 'BIP',
    });
    const phase = new RasterReader(readRasterInfo(complex), 'phase').readRows(1, 0, 2, new Float32Array(6));
    expect(Array.from(phase).map((v) => Number(v.toFixed(4)))).toEqual([1.5708, 3.1416, 0.9273, 0, -1.5708, 0]);
    expect(new RasterReader(readRasterInfo(complex)).readRows(1, 0, 1, new Float32Array(3))[2]).toBe(5);
  });

  it('refuses a truncated raster, a missing description and rows it does not have', () => {
    const short = write('short.geo', floats([1, 2]), {
      ...base,
      file: 'short.geo',
      bands: 1,
      dataType: 'FLOAT',
      scheme: 'BIL',
    });
    expect(() => new RasterReader(readRasterInfo(short))).toThrow(
      /short\.geo has 8 bytes, fewer than the 24 its \.xml describes \(truncated\?\)/,
    );
    expect(() => readRasterInfo(join(dir, 'none.geo'))).toThrow(
      /none\.geo\.xml is missing: every ISCE2 raster needs its \.xml description/,
    );
    const ok = write('ok.geo', floats(band1), { ...base, file: 'ok.geo', bands: 1, dataType: 'FLOAT', scheme: 'BIL' });
    expect(() => new RasterReader(readRasterInfo(ok)).readRows(1, 1, 2, new Float32Array(6))).toThrow(
      /rows 1-3 are outside its 2 rows/,
    );
    expect(() => new RasterReader(readRasterInfo(ok)).readRows(2, 0, 1, new Float32Array(3))).toThrow(
      /has 1 band\(s\); band 2 does not exist/,
    );
  });
});
