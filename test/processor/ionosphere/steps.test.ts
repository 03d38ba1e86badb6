import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageXml } from '../../../src/isce/write-xml.js';
import { readRasterInfo } from '../../../src/isce/raster.js';
import { interpreterOf, ionosphereSteps, withIonosphereSteps } from '../../../src/processor/ionosphere/steps.js';
import { ionSubstepScript } from '../../../src/processor/steps.js';
import { readIonosphereRecord } from '../../../src/product/ionosphere-record.js';
import { readTwoBand } from '../../../src/processor/ionosphere/rasters.js';
import { TransferBoard } from '../../../src/processor/transfers.js';
import type { Step } from '../../../src/processor/runner.js';
import { hasPythonModules, PYTHON } from '../../helpers/tools.js';
import { tempDir } from '../../helpers/tmp.js';

/**
 * The ionosphere steps in order on one work directory, ISCE2's sub-steps played by the test double
 * (test/fixtures/isce2-double/ion_substep.py), the processor's own steps for real.
 */

const DOUBLE = join(import.meta.dirname, '../../fixtures/isce2-double/ion_substep.py');

function workdir(): string {
  const dir = tempDir('gunw-ion-steps-');
  writeFileSync(join(dir, 'topsApp.xml'), '<topsApp/>');
  // A water mask whose right half is water, and the merged interferogram whose size topophase.ion takes.
  const [width, length] = [40, 30];
  writeFileSync(
    join(dir, 'water_mask.wgs84'),
    Uint8Array.from({ length: width * length }, (_, i) => (i % width >= 20 ? 255 : 0)),
  );
  writeFileSync(
    join(dir, 'water_mask.wgs84.xml'),
    imageXml({
      file: 'water_mask.wgs84',
      width,
      length,
      bands: 1,
      dataType: 'BYTE',
      scheme: 'BIL',
      x0: -71,
      dx: 0.01,
      y0: 48,
      dy: -0.01,
    }),
  );
  mkdirSync(join(dir, 'merged'));
  writeFileSync(join(dir, 'merged', 'topophase.flat'), new Uint8Array(8 * 25 * 18));
  writeFileSync(
    join(dir, 'merged', 'topophase.flat.xml'),
    imageXml({
      file: 'topophase.flat',
      width: 25,
      length: 18,
      bands: 1,
      dataType: 'CFLOAT',
      scheme: 'BIP',
      x0: 0,
      dx: 1,
      y0: 0,
      dy: 1,
    }),
  );
  return dir;
}

async function runAll(steps: readonly Step[], dir: string): Promise<Record<string, string[]>> {
  const logs: Record<string, string[]> = {};
  for (const step of steps) {
    logs[step.name] = [];
    await step.run({ workdir: dir, log: (line) => logs[step.name]!.push(line), transfers: new TransferBoard() });
  }
  return logs;
}

function job(env: NodeJS.ProcessEnv = {}, waterMask: string | null = 'water_mask.wgs84') {
  return {
    interpreter: interpreterOf(DOUBLE),
    script: DOUBLE,
    env: { PATH: process.env.PATH, ...env },
    waterMask,
    looks: { range: 19, azimuth: 7 },
  };
}

describe.skipIf(!hasPythonModules('numpy'))('the ionosphere steps', () => {
  it('mask, bridge, compute, filter and merge between the ISCE2 sub-steps, and record what they did', async () => {
    const dir = workdir();
    const logs = await runAll(ionosphereSteps(job()), dir);
    expect(readFileSync(join(dir, 'ion-double.calls'), 'utf8').trim().split('\n')).toEqual([
      'subband',
      'merge',
      'unwrap',
      'multilook',
      'ionosphere_shift',
      'ion2grd',
      'esd',
      'merge_burst_ramps',
    ]);
    // The burst covers both halves of the mask: water pixels are 0 + 0i in both sub-bands, land ones untouched.
    const mask = new Uint8Array(readFileSync(join(dir, 'mask', 'IW1', 'msk_01.rdr')));
    const bytes = readFileSync(join(dir, 'ion', 'lower', 'fine_interferogram', 'IW1', 'burst_01.int'));
    const lower = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const water = mask.reduce((n, v) => n + (v ? 1 : 0), 0);
    expect(water).toBeGreaterThan(0);
    expect(water).toBeLessThan(mask.length);
    expect(mask.every((v, i) => (v ? lower[2 * i] === 0 && lower[2 * i + 1] === 0 : lower[2 * i] !== 0))).toBe(true);
    // Component 0 is masked in the unwrapped sub-bands; the rest stays.
    const unw = readTwoBand(join(dir, 'ion', 'lower', 'merged', 'filt_topophase.unw'));
    expect(unw.width).toBe(8);
    expect(logs['ion:bridge']!.join('\n')).toMatch(/2 component\(s\) bridged .*pixels of component 0 masked/);
    const filtered = readTwoBand(join(dir, 'ion', 'ion_cal', 'filt.ion'));
    expect(filtered.second.every(Number.isFinite)).toBe(true);
    const merged = readRasterInfo(join(dir, 'merged', 'topophase.ion'));
    expect([merged.width, merged.length, merged.dataType]).toEqual([25, 18, 'FLOAT']);
    expect(readIonosphereRecord(dir)).toMatchObject({
      ionosphere: {
        water_mask: 'water_mask.wgs84',
        mask_connected_component_zero: 'True',
        do_phase_bridging: 'True',
        swath_mode: 'False',
        multilook_az_rg1: [50, 200],
      },
    });
  });

  it('works swath by swath when ISCE2 says the pair needs it, moving the outer swath onto the middle one', async () => {
    const dir = workdir();
    const logs = await runAll(ionosphereSteps(job({ ION_DOUBLE_SWATH_MODE: '1' }, null)), dir);
    expect(readFileSync(join(dir, 'ion-double.calls'), 'utf8').trim().split('\n')).toEqual([
      'subband',
      'swath_boxes',
      'merge_swath 1',
      'merge_swath 2',
      'unwrap 1',
      'unwrap 2',
      'multilook 1',
      'multilook 2',
      'ionosphere_shift',
      'ion2grd',
      'esd',
      'merge_burst_ramps',
    ]);
    expect(logs['ion:mask-subband']).toBeUndefined();
    expect(logs['ion:bridge']!.filter((l) => l.includes('merged_IW'))).toHaveLength(4);
    // Swath 1's sub-bands were 0.05 rad apart from swath 2's: its ionosphere moves by the difference that makes.
    expect(logs['ion:ionosphere']!.join('\n')).toMatch(/swath 1: moved by -?0\.0\d+ rad onto swath 2/);
    const one = readTwoBand(join(dir, 'ion', 'ion_cal_IW1', 'raw_no_projection.ion'));
    const merged = readTwoBand(join(dir, 'ion', 'ion_cal', 'raw_no_projection.ion'));
    expect([merged.width, merged.length]).toEqual([8, 6]);
    // Columns 1–3 come from swath 1 (moved), 4–8 from swath 2 (its boxes are copied last).
    expect(merged.second[0]).not.toBe(one.second[0]);
    expect(readIonosphereRecord(dir)).toMatchObject({
      ionosphere: {
        water_mask: 'None',
        swath_mode: 'True',
        do_phase_bridging: 'True',
        mask_connected_component_zero: 'False',
      },
    });
  });

  it('stops at a failing ISCE2 sub-step, naming it, its status and its last line', async () => {
    const dir = workdir();
    await expect(runAll(ionosphereSteps(job({ ION_DOUBLE_FAIL: 'unwrap' })), dir)).rejects.toThrow(
      'ion_substep.py unwrap exited with status 3 (simulated failure in unwrap)',
    );
  });

  it('runs the real ISCE2 glue, which says in one line when the interpreter has no ISCE2', async () => {
    const dir = workdir();
    const real = { ...job(), interpreter: [PYTHON], script: ionSubstepScript() };
    await expect(runAll(ionosphereSteps(real), dir)).rejects.toThrow(
      /^ion_substep\.py subband exited with status 1 \(ion_substep\.py: ISCE2 is not importable by \/usr\/bin\/python3 \(No module named 'isce'\); run it with the interpreter that runs topsApp\.py\)$/,
    );
    const usage = spawnSync(PYTHON, [ionSubstepScript(), 'topsApp.xml', 'merge', 'IW9'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr.trim()).toBe('ion_substep.py: swath IW9 is not 1, 2 or 3');
  });

  it("run with the interpreter topsApp.py's #! line names", () => {
    const dir = tempDir('gunw-ion-shebang-');
    writeFileSync(join(dir, 'conda'), '#!/opt/conda/bin/python -u\nprint(1)\n');
    writeFileSync(join(dir, 'plain'), 'print(1)\n');
    expect(interpreterOf(DOUBLE)).toEqual(['/usr/bin/env', 'python3']);
    expect(interpreterOf(join(dir, 'conda'))).toEqual(['/opt/conda/bin/python', '-u']);
    expect(interpreterOf(join(dir, 'plain'))).toEqual(['python3']);
  });

  it('go in before topsApp geocodes, which then geocodes their two outputs', () => {
    const named = (name: string): Step => ({ name, run: () => Promise.resolve() });
    const topsapp = ['topsapp:unwrap2stage', 'topsapp:geocode', 'topsapp:denseoffsets'].map(named);
    expect(withIonosphereSteps(topsapp, [named('ion:subband')]).map((s) => s.name)).toEqual([
      'topsapp:unwrap2stage',
      'ion:subband',
      'topsapp:geocode',
      'topsapp:denseoffsets',
    ]);
  });
});
