import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcessor } from '../../src/cli/processor/program.js';
import { findVariable } from '../../src/netcdf/model.js';
import { H5wasmProductReader } from '../../src/netcdf/h5wasm/reader.js';
import type { ProcessingPlan } from '../../src/processor/plan.js';
import { writeIsceSample } from '../../src/sample/isce/index.js';
import { diffReaders } from '../helpers/diff.js';
import { tempDir } from '../helpers/tmp.js';

async function packageCli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runProcessor(['package', ...args], {
    io: { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTTY: false, cwd },
    env: { HOME: cwd, PATH: process.env.PATH ?? '' },
    readStdin: () => '',
  });
  return { code, stdout, stderr };
}

/** The two files the Python plugin leaves in its work directory, written the way it writes them (indent 2). */
function writePluginFiles(dir: string, plan: ProcessingPlan): void {
  const p = plan.parameters;
  const params = {
    reference_scenes: p.reference_scenes,
    secondary_scenes: p.secondary_scenes,
    frame_id: p.frame_id,
    estimate_ionosphere_delay: p.estimate_ionosphere_delay,
    compute_solid_earth_tide: p.compute_solid_earth_tide,
    output_resolution: p.output_resolution,
    unfiltered_coherence: p.unfiltered_coherence,
    goldstein_filter_power: p.goldstein_filter_power,
    dense_offsets: p.dense_offsets,
    esd_coherence_threshold: p.esd_coherence_threshold,
  };
  const geometry = plan.geometry as { type: string; coordinates: unknown[] };
  const gunwGeo =
    geometry.type === 'MultiPolygon' ? { type: 'Polygon', coordinates: geometry.coordinates[0] } : geometry;
  const loc = {
    reference_scenes: p.reference_scenes,
    secondary_scenes: p.secondary_scenes,
    frame_id: p.frame_id,
    ref_paths: plan.scenes.reference.map((s) => `${s.sceneName}.zip`),
    sec_paths: plan.scenes.secondary.map((s) => `${s.sceneName}.zip`),
    extent: plan.extent,
    gunw_geo: gunwGeo,
    processing_extent: plan.processingExtent,
    reference_properties: plan.scenes.reference,
    secondary_properties: plan.scenes.secondary,
    extent_buffered: plan.extent,
    full_res_dem_path: 'full_res.dem.wgs84',
    low_res_dem_path: 'low_res.dem.wgs84',
    water_mask: '/home/ops/work/water_mask.wgs84',
    aux_cal_dir: 'aux_cal',
    orbit_directory: 'orbits',
    reference_orbits: [],
    secondary_orbits: [],
    cmd_line_str: plan.commandLine,
    tops_app_params: params,
  };
  writeFileSync(join(dir, 'topsapp_input_params.json'), JSON.stringify(params, null, 2));
  writeFileSync(join(dir, 'loc_data.json'), JSON.stringify(loc, null, 2));
}

describe('a work directory the Python plugin made (no plan.json)', () => {
  it('packages from its topsapp_input_params.json and loc_data.json into the product a plan.json gives', async () => {
    const dir = tempDir('gunw-plugin-workdir-');
    const sample = await writeIsceSample(join(dir, 'isce'));
    const ours = await packageCli(['--isce-dir', 'isce', '--out', 'from-plan'], dir);
    expect(ours.code, ours.stderr).toBe(0);
    writePluginFiles(sample.isceDir, sample.plan);
    rmSync(join(sample.isceDir, 'plan.json'));
    const plugin = await packageCli(['--isce-dir', 'isce', '--out', 'from-plugin'], dir);
    expect(plugin.code, plugin.stderr).toBe(0);
    expect(plugin.stderr).toContain(
      "no plan.json: planning from the plugin's topsapp_input_params.json and loc_data.json",
    );
    expect(readdirSync(join(dir, 'from-plugin'))).toEqual(readdirSync(join(dir, 'from-plan')));
    const id = sample.plan.productId;
    const [a, b] = await Promise.all([
      H5wasmProductReader.open(join(dir, 'from-plan', id, `${id}.nc`)),
      H5wasmProductReader.open(join(dir, 'from-plugin', id, `${id}.nc`)),
    ]);
    try {
      const { report } = await diffReaders(a, b);
      // The sample directory records no ionosphere steps; the plugin's directory says what the plugin did.
      const ionosphere = '/science/grids/corrections/derived/ionosphere';
      expect(report.failures.filter((f) => !JSON.stringify(f).includes(ionosphere))).toEqual([]);
      expect(report.layers.every((l) => l.maxAbsDiff === 0)).toBe(true);
      const layer = findVariable(b.root, `${ionosphere}/ionosphere`)!;
      const value = (name: string): unknown => layer.attributes.find((x) => x.name === name)?.value;
      expect(value('water_mask')).toBe('/home/ops/work/water_mask.wgs84');
      expect(value('mask_connected_component_zero')).toBe('True');
      expect(value('do_phase_bridging')).toBe('True');
      expect(value('swath_mode')).toBe('False');
      expect(value('swath_ramp_removal')).toBe('False');
    } finally {
      a.close();
      b.close();
    }
  }, 60_000);

  it('names each problem of a damaged plugin file, and which file', async () => {
    const dir = tempDir('gunw-plugin-workdir-');
    const sample = await writeIsceSample(join(dir, 'isce'));
    writePluginFiles(sample.isceDir, sample.plan);
    rmSync(join(sample.isceDir, 'plan.json'));
    const loc = JSON.parse(readFileSync(join(sample.isceDir, 'loc_data.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(
      join(sample.isceDir, 'loc_data.json'),
      JSON.stringify({ ...loc, gunw_geo: { type: 'Point', coordinates: [0, 0] }, reference_properties: [] }),
    );
    const bad = await packageCli(['--isce-dir', 'isce', '--out', 'out'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n').at(-1)).toMatch(
      /^error: .*loc_data\.json: gunw_geo\.type: .*; reference_properties: .*$/,
    );
    writeFileSync(join(sample.isceDir, 'loc_data.json'), '{ not json');
    expect((await packageCli(['--isce-dir', 'isce', '--out', 'out'], dir)).stderr).toMatch(/loc_data\.json: not JSON/);
  }, 60_000);
});
