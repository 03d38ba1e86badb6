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

/**
 * Text from outside (a file's names, a server's messages) made safe to print on one line: control characters,
 * newlines and escape sequences shown escaped (`\n`, `\u001b`), so no value can forge a line of a report or a
 * message, or move a terminal's cursor.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => {
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    if (char === '\t') return '\\t';
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * Text made safe inside XML and HTML, in element content and in quoted attributes alike: the five markup characters
 * as entities, and the control characters XML 1.0 cannot carry removed. One escape for every report writer (JUnit,
 * the HTML reports, job summaries); see {@link escapeXmlText} for the files ISCE2 reads.
 */
export function escapeMarkup(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/**
 * Text inside an XML element, escaped only as element content needs (`&`, `<`, `>`): ISCE2's XML files and
 * topsApp.xml keep their quotes as the plugin writes them (`['a.zip', 'b.zip']`), which Python's parser reads alike.
 */
export function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
