/**
 * A small XML reader for the files ISCE2 writes (product, image and processing XML): elements with attributes,
 * text and children; comments, processing instructions and DOCTYPE are skipped. ISCE's XML is plain and
 * machine-written, so this is all it needs; malformed input fails with the position.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity[0] === '#')
      return String.fromCodePoint(
        entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)),
      );
    return ENTITIES[entity] ?? whole;
  });
}

export function parseXml(text: string, source = 'XML'): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let at = 0;
  const fail = (what: string): never => {
    const line = text.slice(0, at).split('\n').length;
    throw new Error(`${source}: ${what} at line ${line}`);
  };
  while (at < text.length) {
    const open = text.indexOf('<', at);
    if (open < 0) {
      stack.at(-1)!.text += decode(text.slice(at));
      break;
    }
    if (open > at) stack.at(-1)!.text += decode(text.slice(at, open));
    at = open;
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at);
      if (end < 0) fail('unterminated comment');
      at = end + 3;
    } else if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at);
      if (end < 0) fail('unterminated processing instruction');
      at = end + 2;
    } else if (text.startsWith('<![CDATA[', at)) {
      const end = text.indexOf(']]>', at);
      if (end < 0) fail('unterminated CDATA');
      stack.at(-1)!.text += text.slice(at + 9, end);
      at = end + 3;
    } else if (text.startsWith('<!', at)) {
      const end = text.indexOf('>', at);
      at = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('</', at)) {
      const end = text.indexOf('>', at);
      if (end < 0) fail('unterminated closing tag');
      const name = text.slice(at + 2, end).trim();
      const current = stack.pop();
      if (!current || current.name !== name || stack.length === 0)
        fail(`closing tag </${name}> does not match <${current?.name ?? ''}>`);
      at = end + 1;
    } else {
      const match = /^<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(text.slice(at, at + 4096));
      if (!match) fail('malformed tag');
      const attributes: Record<string, string> = {};
      for (const a of match![2]!.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
        attributes[a[1]!] = decode(a[2] ?? a[3] ?? '');
      const element: XmlElement = { name: match![1]!, attributes, children: [], text: '' };
      stack.at(-1)!.children.push(element);
      if (!match![3]) stack.push(element);
      at += match![0].length;
    }
  }
  if (stack.length !== 1) fail(`<${stack.at(-1)!.name}> is never closed`);
  const top = root.children[0];
  if (!top) fail('no root element');
  return top!;
}

/** Children named `name`, optionally with attribute name="..." (ISCE's <property name="..."> and <component name="...">). */
export function childrenOf(element: XmlElement, name: string, nameAttribute?: string): XmlElement[] {
  return element.children.filter(
    (c) =>
      c.name === name &&
      (nameAttribute === undefined || c.attributes.name?.toLowerCase() === nameAttribute.toLowerCase()),
  );
}

/** Every element below `element` (depth first) for which `test` holds. */
export function descendants(element: XmlElement, test: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const child of e.children) {
      if (test(child)) out.push(child);
      walk(child);
    }
  };
  walk(element);
  return out;
}
