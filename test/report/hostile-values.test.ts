import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { diffReportSchema } from '../../src/compare/report-schema.js';
import type { GroupSpec, VariableSpec } from '../../src/netcdf/spec.js';
import { formatReport } from '../../src/report/render.js';
import { samplePair } from '../../src/sample/pair.js';
import { DATA, diffSpecs, layer } from '../helpers/diff.js';

/**
 * Reports hold up whatever a product holds: infinities in a layer give a report.json its own schema accepts, and
 * names or values with control characters cannot forge a line of a text or Markdown report.
 */
// ajv is CommonJS; under NodeNext its class is the default export's `default`.
const Ajv = Ajv2020Module.default;
const SCHEMA = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/report.schema.json'), 'utf8')) as object;

function withVariables(spec: GroupSpec, edit: (variables: VariableSpec[]) => VariableSpec[]): GroupSpec {
  const copy = structuredClone<GroupSpec>(spec);
  const data = copy.groups!.science!.groups!.grids!.groups!.data! as { variables: VariableSpec[] };
  data.variables = edit(data.variables);
  return copy;
}

describe('a report of hostile values', () => {
  it('writes non-finite statistics as their names, valid against the published schema, and reads them back', async () => {
    const { reference } = samplePair({}, { rows: 30, cols: 40 });
    const candidate = withVariables(reference, (variables) =>
      variables.map((v) =>
        v.name === 'coherence'
          ? { ...v, data: (v.data as Float32Array).map((x, i) => (i % 7 === 0 ? Infinity : x)) }
          : v,
      ),
    );
    const result = await diffSpecs(reference, candidate);
    expect(layer(result, `${DATA}/coherence`).maxAbsDiff).toBe(Infinity);
    const json = formatReport(result.report, 'json');
    expect(json).toContain('"maxAbsDiff": "Infinity"');
    const validate = new Ajv({ strict: false, allErrors: true }).compile(SCHEMA);
    const parsed: unknown = JSON.parse(json);
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    const back = diffReportSchema.parse(parsed);
    expect(back.layers.find((l) => l.path === `${DATA}/coherence`)!.maxAbsDiff).toBe(Infinity);
  });

  it('escapes control characters of names and values in the text and Markdown reports', async () => {
    const { reference } = samplePair({}, { rows: 30, cols: 40 });
    const forged = 'x\u001b[2J\nFAIL forged line';
    const candidate = withVariables(reference, (variables) =>
      variables.map((v) =>
        v.name === 'coherence'
          ? { ...v, attributes: { ...v.attributes, units: forged } }
          : v.name === 'amplitude'
            ? { ...v, name: `amplitude${forged}` }
            : v,
      ),
    );
    const result = await diffSpecs(reference, candidate);
    for (const format of ['text', 'markdown'] as const) {
      const text = formatReport(result.report, format);
      expect(text, format).not.toContain('\u001b');
      expect(
        text.split('\n').some((line) => line.startsWith('FAIL forged line')),
        format,
      ).toBe(false);
      expect(text, format).toContain('u001b[2J');
    }
  });
});
