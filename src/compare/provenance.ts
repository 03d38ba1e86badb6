import { attributeOf, type NcGroup } from '../netcdf/model.js';
import { COMMAND_LINE_ATTRIBUTES } from '../product/gunw-layout.js';
import {
  diffParameters,
  parseCommandLine,
  parametersAsRecord,
  redactCommandLine,
  type ParsedCommandLine,
} from '../product/provenance.js';
import type { Profile } from './profile.js';
import type { ProvenanceReport } from './report-schema.js';

interface CommandLine {
  readonly attribute: string;
  readonly text: string;
  readonly parsed: ParsedCommandLine;
}

function commandLineOf(root: NcGroup): CommandLine | null {
  for (const name of COMMAND_LINE_ATTRIBUTES) {
    const value = attributeOf(root, name)?.value;
    if (typeof value === 'string' && value.trim())
      return { attribute: name, text: value, parsed: parseCommandLine(value) };
  }
  return null;
}

function describe(line: CommandLine | null): ProvenanceReport['reference'] {
  if (!line) return null;
  return {
    attribute: line.attribute,
    commandLine: redactCommandLine(line.text),
    parameters: parametersAsRecord(line.parsed),
  };
}

/** The recorded command lines, parameter by parameter (secrets never compared or shown). */
export function diffProvenance(
  reference: NcGroup,
  candidate: NcGroup,
  profile: Profile,
  versions: ProvenanceReport['versions'],
): ProvenanceReport {
  const a = commandLineOf(reference);
  const b = commandLineOf(candidate);
  const parameters = a && b ? diffParameters(a.parsed, b.parsed, profile.informationalParameters) : [];
  return {
    reference: describe(a),
    candidate: describe(b),
    parameters: parameters.map((p) => ({
      ...p,
      reference: p.reference ? [...p.reference] : null,
      candidate: p.candidate ? [...p.candidate] : null,
    })),
    versions,
  };
}
