import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { RasterReader, readRasterInfo } from '../../src/isce/raster.js';
import { H5wasmProductReader } from '../../src/netcdf/h5wasm/reader.js';
import { attributeOf, findVariable } from '../../src/netcdf/model.js';
import { browseScale } from '../../src/packaging/browse.js';
import { packageGunw, type PackageResult } from '../../src/packaging/package.js';
import { IONOSPHERE_RECORD_FILE, ISCE2_ION_DEFAULTS, ionosphereRecord } from '../../src/product/ionosphere-record.js';
import { writeIsceSample, type IsceSample } from '../../src/sample/isce/index.js';
import { diffReaders } from '../helpers/diff.js';
import { decodePng } from '../helpers/png.js';
import { tempDir } from '../helpers/tmp.js';
import { hasCommand, hasPythonModules, PYTHON } from '../helpers/tools.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/gunw');
// ajv is CommonJS; under NodeNext its class is the default export's `default`.
const Ajv = AjvModule.default;
// Dense offsets are asked for, which makes the product custom.
const ID = 'S1-GUNW_CUSTOM-A-R-164-tops-20220212_20220131-222829-00071W_00047N-PP-3d6c-v3_0_1';
const NOW = new Date('2026-11-24T10:20:30.123Z');

let sample: IsceSample;
let result: PackageResult;
let perturbed: PackageResult;

beforeAll(async () => {
  const dir = tempDir('gunw-package-');
  sample = await writeIsceSample(join(dir, 'isce'), { parameters: { dense_offsets: true, wrapped_phase_layer: true } });
  result = await packageGunw({
    isceDir: sample.isceDir,
    plan: sample.plan,
    outputDir: join(dir, 'out'),
    softwareVersion: '0.1.0',
    now: NOW,
  });
  const other = await writeIsceSample(join(dir, 'isce-perturbed'), {
    variant: 'perturbed',
    parameters: { dense_offsets: true, wrapped_phase_layer: true },
  });
  perturbed = await packageGunw({
    isceDir: other.isceDir,
    plan: other.plan,
    outputDir: join(dir, 'out-perturbed'),
    softwareVersion: '0.1.0',
    now: NOW,
  });
});

describe('packaging ISCE2 outputs into a GUNW', () => {
  it('makes the delivery directory <ID>/ with the product, its metadata and browse image, and nothing else', () => {
    expect(result.productId).toBe(ID);
    expect(readdirSync(join(result.directory, '..')).sort()).toEqual(['.gunw-written.json', ID]);
    expect(readdirSync(result.directory).sort()).toEqual([`${ID}.json`, `${ID}.nc`, `${ID}.png`]);
    expect(result.layers).toEqual([
      'unwrappedPhase',
      'coherence',
      'connectedComponents',
      'amplitude',
      'rangePixelOffsets',
      'azimuthPixelOffsets',
      'unfilteredCoherence',
      'wrappedPhase',
    ]);
  });

  it("writes every layer exactly from its ISCE2 raster, with the product's fill rules", async () => {
    const reader = await H5wasmProductReader.open(result.netcdf);
    const merged = join(sample.isceDir, 'merged');
    const raster = (file: string, band: number): Float32Array => {
      const r = new RasterReader(readRasterInfo(join(merged, file)));
      try {
        return r.readRows(band, 0, r.info.length, new Float32Array(r.info.width * r.info.length));
      } finally {
        r.close();
      }
    };
    try {
      const phase = reader.readNumeric('/science/grids/data/unwrappedPhase') as Float32Array;
      expect(Array.from(phase)).toEqual(Array.from(raster('filt_topophase.unw.geo', 2)));
      const amplitude = raster('filt_topophase.unw.geo', 1);
      const components = reader.readNumeric('/science/grids/data/connectedComponents') as Float32Array;
      const rawComponents = raster('filt_topophase.unw.conncomp.geo', 1);
      for (let i = 0; i < components.length; i++)
        expect(components[i]).toBe(amplitude[i] === 0 ? -1 : rawComponents[i]);
      expect(Array.from(reader.readNumeric('/science/grids/data/azimuthPixelOffsets') as Float32Array)).toEqual(
        Array.from(raster('dense_offsets.bil.geo', 1)),
      );
      const lon = reader.readNumeric('/science/grids/data/longitude') as Float64Array;
      expect(lon[0]).toBe(-71.3);
      expect(lon[1]).toBeCloseTo(-71.29, 12);
      const version = attributeOf(reader.root, 'version');
      expect(version).toMatchObject({ value: '1c' });
      const coherence = findVariable(reader.root, '/science/grids/data/coherence')!;
      expect(coherence.storage.filters.map((f) => f.name)).toEqual(['shuffle', 'deflate']);
      expect(coherence.storage.chunks).toEqual([150, 256]);
      expect(reader.readText('/science/radarMetaData/inputSLC/reference/L1InputGranules')).toEqual(
        sample.plan.scenes.reference.map((s) => s.fileName),
      );
      expect(reader.readText('/science/radarMetaData/ISCEversion')).toEqual(['2.6.3', '']);
      expect(reader.readText('/science/radarMetaData/inputSLC/secondary/orbitType')).toEqual(['precise', '']);
      expect(reader.readText('/productBoundingBox')[0]).toMatch(
        /^POLYGON \(\(-?\d+\.\d+ \d+\.\d+(,-?\d+\.?\d* \d+\.?\d*)+\)\)$/,
      );
      const perpendicular = reader.readNumeric('/science/grids/imagingGeometry/perpendicularBaseline') as Float32Array;
      expect(Math.min(...perpendicular)).toBeGreaterThan(-200);
      expect(Math.max(...perpendicular)).toBeLessThan(0);
      const incidence = reader.readNumeric('/science/grids/imagingGeometry/incidenceAngle') as Float32Array;
      expect(Math.min(...incidence)).toBeGreaterThan(20);
      expect(Math.max(...incidence)).toBeLessThan(50);
    } finally {
      reader.close();
    }
  });

  it.runIf(hasCommand('ncdump', []))(
    'is netCDF-4 that netCDF-C reads: real dimensions, types, string attributes, no compressed strings',
    () => {
      const out = spawnSync('ncdump', ['-h', '-s', result.netcdf], { encoding: 'utf8' });
      expect(out.status).toBe(0);
      expect(out.stdout).toMatch(/group: data \{\n\s+dimensions:\n\s+longitude = 370 ;\n\s+latitude = 150 ;/);
      expect(out.stdout).toMatch(/float unwrappedPhase\(latitude, longitude\) ;/);
      expect(out.stdout).toMatch(/float perpendicularBaseline\(heightsMeta, latitudeMeta, longitudeMeta\) ;/);
      expect(out.stdout).toContain('string :version = "1c" ;');
      expect(out.stdout).toMatch(/:aria_frame_id = 25502LL ;/);
      expect(out.stdout).toMatch(/string L1InputGranules\(matchup\) ;/);
      expect(out.stdout).not.toMatch(/string \w+\(matchup\) ;\n(\s+\w+:\w+ = .*\n)*\s+\w+:_DeflateLevel/);
      expect(out.stdout.match(/matchup = /g)).toHaveLength(1);
      // UNLIMITED, as the plugin's netCDF4-python file has it.
      expect(out.stdout).toMatch(/\tmatchup = UNLIMITED ; \/\/ \(2 currently\)/);
    },
  );

  it.runIf(hasCommand('gdalinfo'))(
    'opens in GDAL as georeferenced layers with the values of the ISCE2 rasters',
    async () => {
      const layer = (name: string): string => `NETCDF:"${result.netcdf}":/science/grids/data/${name}`;
      const info = spawnSync('gdalinfo', ['-json', layer('unwrappedPhase')], { encoding: 'utf8' });
      expect(info.status).toBe(0);
      const described = JSON.parse(info.stdout) as { size: number[]; geoTransform: number[]; bands: unknown[] };
      expect(described.size).toEqual([370, 150]);
      expect(described.bands).toHaveLength(1);
      // The first pixel's centre is at longitude -71.3: GDAL's transform starts half a pixel west of it.
      expect(described.geoTransform[0]! + described.geoTransform[1]! / 2).toBeCloseTo(-71.3, 9);
      const out = join(tempDir(), 'phase.bin');
      const translated = spawnSync('gdal_translate', ['-q', '-of', 'ENVI', layer('unwrappedPhase'), out], {
        encoding: 'utf8',
      });
      expect(translated.stderr).toBe('');
      const bytes = readFileSync(out);
      const fromGdal = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
      const reader = new RasterReader(readRasterInfo(join(sample.isceDir, 'merged', 'filt_topophase.unw.geo')));
      try {
        const expected = reader.readRows(2, 0, 150, new Float32Array(370 * 150));
        // Stored north-up (latitude decreasing), so GDAL's rows are the raster's rows.
        expect(expected.every((v, i) => Object.is(v, fromGdal[i]))).toBe(true);
      } finally {
        reader.close();
      }
    },
  );

  it.runIf(hasPythonModules('netCDF4', 'numpy'))(
    "computes the coherence means the plugin's way: numpy over the ISCE2 raster's non-zero pixels",
    () => {
      // Plant coherence where the amplitude is 0: the product masks those pixels, the plugin's statistic keeps them.
      const dir = tempDir('gunw-package-means-');
      return (async () => {
        const planted = await writeIsceSample(join(dir, 'isce'));
        const coherence = join(planted.isceDir, 'merged', 'phsig.cor.geo');
        const unwrapped = join(planted.isceDir, 'merged', 'filt_topophase.unw.geo');
        const { width, length } = readRasterInfo(coherence);
        const coh = new Float32Array(readFileSync(coherence).buffer.slice(0));
        const unw = new Float32Array(readFileSync(unwrapped).buffer.slice(0));
        let planted0 = 0;
        for (let row = 0; row < length; row++) {
          for (let col = 0; col < width; col++) {
            if (unw[row * 2 * width + col] === 0 && coh[row * width + col] === 0 && (row + col) % 7 === 0) {
              coh[row * width + col] = 0.9;
              planted0++;
            }
          }
        }
        expect(planted0).toBeGreaterThan(10);
        writeFileSync(coherence, Buffer.from(coh.buffer));
        const packaged = await packageGunw({
          isceDir: planted.isceDir,
          plan: planted.plan,
          outputDir: join(dir, 'out'),
          softwareVersion: '0.1.0',
          now: NOW,
        });
        const script = `
import sys, netCDF4, numpy as np
c = np.fromfile(sys.argv[2], dtype='<f4')
print(repr(float(np.float32(c[c != 0].mean()))), repr(float(netCDF4.Dataset(sys.argv[1]).getncattr('mean_filtered_coherence_without_water_mask'))))`;
        const out = spawnSync(PYTHON, ['-c', script, packaged.netcdf, coherence], { encoding: 'utf8' });
        expect(out.stderr).toBe('');
        const [plugin, ours] = out.stdout.trim().split(' ').map(Number);
        // numpy sums float32 pairwise; the product's float64 sum rounds to float32 within a few units in the last
        // place.
        expect(Math.abs(ours! - plugin!)).toBeLessThan(1e-6);
      })();
    },
    60_000,
  );

  it.runIf(hasPythonModules('netCDF4', 'xarray', 'numpy', 'rasterio'))(
    'opens in netCDF4-python and xarray with the expected dimensions and statistics',
    () => {
      const script = `
import sys, netCDF4, xarray as xr, numpy as np
d = netCDF4.Dataset(sys.argv[1])
g = d['science/grids/data']
print(g['unwrappedPhase'].dtype, g['unwrappedPhase'].shape, g['unwrappedPhase'].filters()['shuffle'])
x = xr.open_dataset(sys.argv[1], group='science/grids/data')
coh = x.coherence.values
print(round(float(np.nanmean(coh[coh > 0])), 5), round(float(d.getncattr('mean_filtered_coherence_without_water_mask')), 5))
# The water mask the sample localized: 0.005° pixels from the north-west corner of its bounds (argv 2-6), put on
# the data grid as the plugin puts its mask there: rasterio's bilinear reprojection, water where >= 95; GDAL reads
# both first coordinates as pixel corners.
from affine import Affine
from rasterio.warp import reproject, Resampling
west, north, step, width, length = float(sys.argv[3]), float(sys.argv[4]), 0.005, int(sys.argv[5]), int(sys.argv[6])
mask = np.fromfile(sys.argv[2], dtype=np.uint8).reshape(length, width).astype(np.float32)
lon, lat = x.longitude.values, x.latitude.values
on_grid = np.zeros((lat.size, lon.size), dtype=np.float32)
reproject(mask, on_grid, src_transform=Affine(step, 0, west, 0, -step, north), src_crs='EPSG:4326',
          dst_transform=Affine(lon[1] - lon[0], 0, lon[0], 0, lat[1] - lat[0], lat[0]), dst_crs='EPSG:4326',
          resampling=Resampling.bilinear)
water = on_grid >= 95
land = (coh > 0) & ~water
print(int(water.sum() > 0), round(float(coh[land].mean()), 5), round(float(d.getncattr('mean_filtered_coherence_with_water_mask')), 5))
print(sorted(xr.open_dataset(sys.argv[1], group='science/grids/imagingGeometry').dims.items()))`;
      const mask = sample.plan.localize.waterMask;
      const maskInfo = readRasterInfo(join(sample.isceDir, mask.file));
      const maskArgs = [
        join(sample.isceDir, mask.file),
        String(mask.bounds[0]),
        String(mask.bounds[3]),
        String(maskInfo.width),
        String(maskInfo.length),
      ];
      const out = spawnSync(PYTHON, ['-c', script, result.netcdf, ...maskArgs], { encoding: 'utf8' });
      expect(out.stderr).toBe('');
      const [types, means, masked, dims] = out.stdout.trim().split('\n');
      const [anyWater, landFromXarray, landAttribute] = masked!.split(' ');
      expect(anyWater).toBe('1');
      expect(landFromXarray).toBe(landAttribute);
      // The sample's lake has low coherence: leaving it out raises the mean, as in real products.
      expect(Number(landAttribute)).toBeGreaterThan(Number(means!.split(' ')[1]));
      expect(types).toBe('float32 (150, 370) True');
      const [fromXarray, attribute] = means!.split(' ');
      expect(fromXarray).toBe(attribute);
      expect(dims).toMatch(/^\[\('heightsMeta', 4\), \('latitudeMeta', \d+\), \('longitudeMeta', \d+\)\]$/);
    },
  );

  it('writes metadata JSON the ingest schema accepts, with the fields of the real delivery JSON', () => {
    const json = JSON.parse(readFileSync(result.json, 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(FIXTURES, 'gunw_schema.json'), 'utf8')));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    const real = JSON.parse(
      readFileSync(
        join(FIXTURES, 'S1-GUNW-A-R-064-tops-20210723_20210711-015001-35393N_33512N-PP-6267-v2_0_4.json'),
        'utf8',
      ),
    );
    expect(Object.keys(json)).toEqual(Object.keys(real));
    // The real file is from plugin 2.0.6, which wrote frame_id; the 3.x layout writes version and frame_number.
    const older = Object.keys(real.metadata).filter((k) => k !== 'frame_id');
    expect(Object.keys(json.metadata).filter((k) => k !== 'version' && k !== 'frame_number')).toEqual(older);
    for (const key of older) expect(typeof json.metadata[key], key).toBe(typeof real.metadata[key]);
    expect(Object.keys(json.metadata).slice(5, 6)).toEqual(['version']);
    expect(json.metadata).toMatchObject({
      sensing_start: '2022-02-12T22:28:03.000000Z',
      sensing_stop: '2022-02-12T22:28:55.000000Z',
      temporal_baseline_days: 12,
      orbit_number: [41886, 41711],
      platform: ['Sentinel-1A', 'Sentinel-1A'],
      orbit_direction: 'ascending',
      polarization: 'VV',
      track_number: 164,
      frame_number: 25502,
    });
    expect(json.creation_timestamp).toBe('2026-11-24T10:20:30.123000Z');
    expect(json.metadata.perpendicular_baseline).toBeLessThan(0);
  });

  it('draws a browse image coloured where the phase is reliable and transparent elsewhere, legible on a small grid', () => {
    const { width, height, rgba } = decodePng(readFileSync(result.png));
    // The sample's 370 × 150 grid: a fifth would be 74 × 30 px, so it is shown whole; real frames keep a fifth.
    expect([width, height]).toEqual([370, 150]);
    // A 90 m frame (about 2,700 × 1,500 pixels) and a 30 m one keep the plugin's fifth.
    expect(browseScale(2700, 1500)).toBe(0.2);
    expect(browseScale(8100, 4500)).toBe(0.2);
    const alpha = Array.from({ length: width * height }, (_, k) => rgba[k * 4 + 3]);
    expect(alpha.filter((a) => a === 0).length).toBeGreaterThan(50);
    expect(alpha.filter((a) => a === 255).length).toBeGreaterThan(1000);
  });

  it('states what the ionosphere steps did, from their record in the work directory', async () => {
    const dir = tempDir('gunw-package-ion-');
    const ion = await writeIsceSample(join(dir, 'isce'));
    mkdirSync(join(ion.isceDir, 'ion'));
    const record = ionosphereRecord(ISCE2_ION_DEFAULTS, {
      waterMask: 'water_mask.wgs84',
      bridged: true,
      maskedComponentZero: true,
    });
    writeFileSync(join(ion.isceDir, IONOSPHERE_RECORD_FILE), JSON.stringify(record));
    const out = await packageGunw({
      isceDir: ion.isceDir,
      plan: ion.plan,
      outputDir: join(dir, 'out'),
      softwareVersion: '0',
    });
    const reader = await H5wasmProductReader.open(out.netcdf);
    try {
      const layer = findVariable(reader.root, '/science/grids/corrections/derived/ionosphere/ionosphere')!;
      const value = (name: string): unknown => layer.attributes.find((a) => a.name === name)?.value;
      expect(value('processing_steps')).toEqual(['subband', 'rawion', 'filt_gaussian', 'geocode']);
      expect(value('water_mask')).toBe('water_mask.wgs84');
      expect(value('mask_connected_component_zero')).toBe('True');
      expect(value('do_phase_bridging')).toBe('True');
      expect(value('swath_mode')).toBe('False');
      expect(value('swath_ramp_removal')).toBe('False');
      expect(value('swath_mode_description')).toMatch(/^raw_ion ionosphere calculation done per swath/);
      expect(value('multilook_az_rg1')).toEqual([50, 200]);
      expect(value('multilook_az_rg2')).toEqual([10, 40]);
      const ramps = findVariable(
        reader.root,
        '/science/grids/corrections/derived/ionosphereBurstRamps/ionosphereBurstRamps',
      )!;
      expect(ramps.attributes.find((a) => a.name === 'processing_steps')?.value).toEqual([
        'subband',
        'rawion',
        'filt_gaussian',
        'ionosphere_shift',
        'ion2grd',
        'esd',
        'geocode',
      ]);
    } finally {
      reader.close();
    }
    writeFileSync(join(ion.isceDir, IONOSPHERE_RECORD_FILE), '{"ionosphere": {"water_mask": 3}}');
    await expect(
      packageGunw({ isceDir: ion.isceDir, plan: ion.plan, outputDir: join(dir, 'out2'), softwareVersion: '0' }),
    ).rejects.toThrow(/gunw-ionosphere\.json: the record of the ionosphere steps is not as expected/);
  });

  it('adds the solid Earth tide of each date on the cube grid as line-of-sight phase', async () => {
    const reader = await H5wasmProductReader.open(result.netcdf);
    try {
      const tides = '/science/grids/corrections/external/tides/solidEarth';
      const reference = reader.readNumeric(`${tides}/reference/solidEarthTide`) as Float32Array;
      const secondary = reader.readNumeric(`${tides}/secondary/solidEarthTide`) as Float32Array;
      const cube = reader.readNumeric('/science/grids/imagingGeometry/incidenceAngle') as Float32Array;
      expect(reference.length).toBe(cube.length);
      // A solid tide moves the ground by tens of centimetres at most: |phase| < 0.4 m × 4π/λ.
      const limit = (0.4 * 4 * Math.PI) / 0.05546576;
      expect(reference.every((v) => Number.isFinite(v) && Math.abs(v) < limit)).toBe(true);
      expect(reference.some((v) => Math.abs(v) > 0.1)).toBe(true);
      expect(reference.some((v, i) => Math.abs(v - secondary[i]!) > 0.1)).toBe(true);
      expect(Array.from(reader.readNumeric(`${tides}/reference/latitude`) as Float64Array)).toEqual(
        Array.from(reader.readNumeric('/science/grids/imagingGeometry/latitudeMeta') as Float64Array),
      );
      expect(findVariable(reader.root, `${tides}/reference/solidEarthTide`)!.dimensions).toEqual([
        'height',
        'latitude',
        'longitude',
      ]);
    } finally {
      reader.close();
    }
  });

  it.runIf(hasPythonModules('h5py', 'numpy'))(
    "stores what the plugin stores the way it stores it (h5py's view)",
    () => {
      const script = `
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], 'r')
w = f['science/radarMetaData/wavelength']
print(w.dtype, w.shape)
print(f['science/grids/imagingGeometry/incidenceAngle'].attrs['_FillValue'])
t = f['science/grids/corrections/external/tides/solidEarth/reference/solidEarthTide']
print(t.chunks, t.compression)
print(np.isnan(f['science/grids/corrections/external/tides/solidEarth/reference/latitude'].attrs['_FillValue'][0]))
c = f['science/grids/corrections/derived/ionosphere/crs']
print(c.dtype, 'semi_minor_axis' in c.attrs, 'spatial_ref' in c.attrs)
print('units' in f['science/grids/corrections/derived/ionosphereBurstRamps/ionosphereBurstRamps'].attrs)`;
      const out = spawnSync(PYTHON, ['-c', script, result.netcdf], { encoding: 'utf8' });
      expect(out.stderr).toBe('');
      expect(out.stdout.trim().split('\n')).toEqual([
        'float32 ()',
        '[0.]',
        'None None',
        'True',
        'int64 True True',
        'False',
      ]);
    },
  );

  it('states a mean azimuth and incidence that agree with its own imaging-geometry cube', async () => {
    const reader = await H5wasmProductReader.open(result.netcdf);
    try {
      const attribute = (name: string) => Number(reader.root.attributes.find((a) => a.name === name)!.value);
      const valid = (path: string) => Array.from(reader.readNumeric(path) as Float32Array).filter((v) => v !== -9999);
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      const azimuth = attribute('mean_azimuth_angle');
      const cubeAzimuth = mean(valid('/science/grids/imagingGeometry/azimuthAngle'));
      // The attribute is ISCE2's azimuth + 90° (0–360 when ISCE2's is positive), the cube's is −180…180: equal modulo
      // 360°.
      expect(Math.abs(((((azimuth - cubeAzimuth) % 360) + 540) % 360) - 180)).toBeLessThan(1);
      // An ascending pass looking right: the satellite is west (a little south) of the ground.
      expect(cubeAzimuth).toBeLessThan(-160);
      const incidence = valid('/science/grids/imagingGeometry/incidenceAngle');
      expect(attribute('mean_incidence_angle')).toBeGreaterThan(Math.min(...incidence));
      expect(attribute('mean_incidence_angle')).toBeLessThan(Math.max(...incidence));
    } finally {
      reader.close();
    }
  });

  it('lets gunw diff pass a product against itself and find the planted changes in the perturbed one', async () => {
    const open = (path: string) => H5wasmProductReader.open(path);
    const [a, b] = await Promise.all([open(result.netcdf), open(perturbed.netcdf)]);
    const same = await diffReaders(a, a);
    expect(same.report.verdict).toBe('pass');
    const changed = await diffReaders(a, b);
    a.close();
    b.close();
    expect(changed.report.verdict).toBe('fail');
    const failed = changed.report.layers.filter((l) => l.verdict === 'fail').map((l) => l.path);
    expect(failed).toEqual([
      '/science/grids/data/unwrappedPhase',
      '/science/grids/data/coherence',
      '/science/grids/data/unfilteredCoherence',
    ]);
    const phase = changed.report.layers.find((l) => l.path === '/science/grids/data/unwrappedPhase')!;
    expect(phase.ambiguities).toEqual([expect.objectContaining({ component: 2, k: 1 })]);
  });
});

describe('packaging refuses to make an incomplete product', () => {
  it('fails naming a missing raster and leaves no delivery directory', async () => {
    const dir = tempDir('gunw-package-missing-');
    const broken = await writeIsceSample(join(dir, 'isce'));
    rmSync(join(broken.isceDir, 'merged', 'phsig.cor.geo'));
    const out = join(dir, 'out');
    await expect(
      packageGunw({ isceDir: broken.isceDir, plan: broken.plan, outputDir: out, softwareVersion: '0' }),
    ).rejects.toThrow(/merged\/phsig\.cor\.geo \(with its \.xml\) is missing, and every GUNW needs it/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('keeps the placeholders of a custom product without ionosphere and tides, with the format version 1b', async () => {
    const dir = tempDir('gunw-package-custom-');
    const plain = await writeIsceSample(join(dir, 'isce'), {
      parameters: { compute_solid_earth_tide: false, estimate_ionosphere_delay: false },
    });
    const out = await packageGunw({
      isceDir: plain.isceDir,
      plan: plain.plan,
      outputDir: join(dir, 'out'),
      softwareVersion: '0',
    });
    expect(out.productId.startsWith('S1-GUNW_CUSTOM-')).toBe(true);
    const reader = await H5wasmProductReader.open(out.netcdf);
    try {
      expect(attributeOf(reader.root, 'version')).toMatchObject({ value: '1b' });
      expect(reader.readText('/science/grids/corrections/external/tides/solidEarthTide')[0]).toBe(
        'placeholder dummy: [2D]',
      );
      expect(reader.readText('/science/grids/corrections/derived/ionosphere/ionosphere')[0]).toBe(
        'placeholder dummy: [2D]',
      );
    } finally {
      reader.close();
    }
  });
});
