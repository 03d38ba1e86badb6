import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSamplePair } from '../../src/sample/write.js';
import { tempDir } from '../helpers/tmp.js';
import { hasCommand } from '../helpers/tools.js';

/**
 * The report page as a reader sees it: rendered by headless Chromium (Debian's `chromium`) in a 1,400 px window,
 * with a script that measures the laid-out page — no number may break across lines, and the page may not need
 * horizontal scrolling.
 */

const CHROMIUM = ['chromium', 'chromium-browser'].find((c) => hasCommand(c, ['--version']));

const MEASURE = `<script>
addEventListener('load', () => {
  const wrapped = [];
  for (const cell of document.querySelectorAll('td.num')) {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (lines.size > 1) wrapped.push(cell.textContent);
  }
  const out = document.createElement('pre');
  out.id = 'layout-check';
  out.textContent = JSON.stringify({ cells: document.querySelectorAll('td.num').length, wrapped, pageWidth: document.documentElement.scrollWidth, windowWidth: innerWidth, provenance: !!document.evaluate("//h2[text()='Provenance']", document, null, 9, null).singleNodeValue, headers: [...document.querySelector('table').querySelectorAll('th')].map((th) => th.textContent), shownRows: [...document.querySelectorAll('h2 + div.scroll tr[class]')].map((tr) => tr.className), foldedRows: [...document.querySelectorAll('details tr[class]')].map((tr) => tr.className), openDetails: [...document.querySelectorAll('details')].filter((d) => d.open).length, foldedVisible: [...document.querySelectorAll('details tr[class]')].some((tr) => tr.checkVisibility()) });
  document.body.append(out);
});
</script>`;

let reportDir: string;

beforeAll(async () => {
  const dir = tempDir('gunw-html-layout-');
  const pair = await writeSamplePair(join(dir, 'pair'), 'regressed', { rows: 60, cols: 80 });
  // A delivery keeps its browse image beside the product; the report links it.
  writeFileSync(join(dir, 'pair', 'reference.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  reportDir = join(dir, 'report');
  const run = spawnSync(
    process.execPath,
    [
      join(import.meta.dirname, '../../lib/cli/gunw.js'),
      'diff',
      pair.reference,
      pair.candidate,
      '--report-dir',
      reportDir,
    ],
    { encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(1);
}, 60_000);

describe.skipIf(!CHROMIUM)('the HTML report in headless Chromium', () => {
  it('keeps every number on one line in a 1,400 px window, needs no horizontal scrolling, and shows the provenance', () => {
    const page = join(reportDir, 'layout-check.html');
    writeFileSync(page, readFileSync(join(reportDir, 'index.html'), 'utf8').replace('</body>', `${MEASURE}</body>`));
    const run = spawnSync(
      CHROMIUM!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--window-size=1400,1000',
        '--virtual-time-budget=5000',
        '--dump-dom',
        `file://${page}`,
      ],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, HOME: tempDir('gunw-chromium-home-') },
      },
    );
    const json = /<pre id="layout-check">([^<]*)<\/pre>/.exec(run.stdout)?.[1];
    expect(json, run.stderr.slice(0, 2000)).toBeDefined();
    const result = JSON.parse(json!.replaceAll('&quot;', '"').replaceAll('&amp;', '&')) as {
      cells: number;
      wrapped: string[];
      pageWidth: number;
      windowWidth: number;
      provenance: boolean;
      headers: string[];
      shownRows: string[];
      foldedRows: string[];
      openDetails: number;
      foldedVisible: boolean;
    };
    expect(result.cells).toBeGreaterThan(20);
    expect(result.wrapped).toEqual([]);
    expect(result.pageWidth).toBeLessThanOrEqual(result.windowWidth);
    expect(result.provenance).toBe(true);
    // Units and tolerance beside the figures; what passes is folded away, closed, below what does not.
    expect(result.headers).toEqual(expect.arrayContaining(['units', 'max |Δ|', 'tolerance']));
    // The unwrapped phase with its 2π jump and the relabelled components stay in view.
    expect(result.shownRows).toHaveLength(2);
    expect(result.foldedRows.length).toBeGreaterThan(5);
    expect(new Set(result.foldedRows)).toEqual(new Set(['pass']));
    expect(result.openDetails).toBe(0);
    expect(result.foldedVisible).toBe(false);
  }, 90_000);
});

describe('the HTML report', () => {
  it("links each product's browse image where the delivery has one beside it", () => {
    const html = readFileSync(join(reportDir, 'index.html'), 'utf8');
    expect(html).toMatch(
      /Reference <code>[^<]*reference\.nc<\/code> · <a href="\.\.\/pair\/reference\.png">browse image<\/a><br>/,
    );
    // The candidate has none: no link to a file that is not there.
    expect(html).toMatch(/Candidate <code>[^<]*candidate\.nc<\/code><br>/);
  });
});
