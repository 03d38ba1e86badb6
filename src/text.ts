/**
 * Any value as message text: strings and numbers as themselves, objects as JSON (never "[object Object]"), null and
 * undefined as the empty string. For values read from files and servers, whose type is not known.
 */
export function plainText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value) ?? '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value === 'symbol' ? value.toString() : '';
}
