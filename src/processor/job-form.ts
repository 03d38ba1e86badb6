import type { z } from 'zod';
import { ValidationError } from '../errors.js';
import { HYP3_ALIASES, HYP3_IGNORED } from '../product/parameters.js';
import { plainText } from '../text.js';

/**
 * The job as given: the JSON job form (our snake_case keys, or a HyP3 INSAR_ISCE job with `job_parameters`),
 * overridden key by key by command-line flags, then validated with the parameter schema. Every problem is
 * reported at once, named by its flag (`--frame-id`) so the fix is obvious whichever form was used.
 */

export function flagOf(key: string): string {
  return `--${key.replace(/_/g, '-')}`;
}

export function keyOf(flag: string): string {
  return flag.replace(/^--/, '').replace(/-/g, '_');
}

/** The parameter object inside a JSON job: flat, or HyP3's `{ job_type, job_parameters, name }`. */
export function jobParametersOf(document: unknown, source: string): Record<string, unknown> {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ValidationError(source, [
      'the job must be a JSON object of parameters (or a HyP3 job with job_parameters)',
    ]);
  }
  const record = document as Record<string, unknown>;
  const parameters = (
    typeof record.job_parameters === 'object' && record.job_parameters !== null ? record.job_parameters : record
  ) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if ((HYP3_IGNORED as readonly string[]).includes(key)) continue;
    out[HYP3_ALIASES[key] ?? key] = value;
  }
  return out;
}

/** ` (got "value")`, unless the message already quotes the value. */
function shown(value: unknown, message: string): string {
  if (value === undefined) return '';
  const text = Array.isArray(value)
    ? value.join(' ')
    : typeof value === 'object'
      ? JSON.stringify(value)
      : plainText(value);
  if (message.includes(`"${text.trim()}"`)) return '';
  return ` (got "${text.length > 80 ? `${text.slice(0, 77)}...` : text}")`;
}

export function validateJob<T extends z.ZodType>(schema: T, raw: Record<string, unknown>, source: string): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return `unknown parameter${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(flagOf).join(', ')} (see --help for the parameters)`;
    const key = String(issue.path[0] ?? '');
    if (raw[key] === undefined) return `${flagOf(key)} is required`;
    // Scene problems always name the scene, so the whole list is not repeated.
    return `${flagOf(key)}: ${issue.message}${/_scenes?$/.test(key) ? '' : shown(raw[key], issue.message)}`;
  });
  throw new ValidationError(source, [...new Set(problems)]);
}
