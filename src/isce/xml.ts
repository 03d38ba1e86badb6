import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * XML as an element tree (name, attributes, text, children in document order), read with fast-xml-parser: the
 * files ISCE2 writes (product, image and processing XML) and Sentinel-1 annotations. Comments, processing
 * instructions and the declaration are skipped; malformed input fails with the line, as the validator finds it.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Numeric character references (&#65;) as well as the five XML entities.
  htmlEntities: true,
  cdataPropName: '#cdata',
});

/** One node of fast-xml-parser's ordered output: `{ name: [children], ':@': attributes }` or `{ '#text': text }`. */
type OrderedNode = Record<string, unknown>;

/** A text node's text (parseTagValue is off, so it is always a string). */
function textOf(node: OrderedNode): string {
  const text = node['#text'];
  return typeof text === 'string' ? text : '';
}

function toElement(name: string, node: OrderedNode): XmlElement {
  const element: XmlElement = {
    name,
    attributes: (node[':@'] as Record<string, string> | undefined) ?? {},
    children: [],
    text: '',
  };
  for (const child of (node[name] as OrderedNode[] | undefined) ?? []) {
    if ('#text' in child) element.text += textOf(child);
    else if ('#cdata' in child) element.text += ((child['#cdata'] as OrderedNode[]) ?? []).map(textOf).join('');
    else {
      const childName = Object.keys(child).find((key) => key !== ':@');
      if (childName !== undefined) element.children.push(toElement(childName, child));
    }
  }
  return element;
}

export function parseXml(text: string, source = 'XML'): XmlElement {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`${source}: ${valid.err.msg} at line ${valid.err.line}`);
  const nodes = parser.parse(text) as OrderedNode[];
  const top = nodes.find((node) => Object.keys(node).some((key) => key !== ':@' && !key.startsWith('#')));
  if (!top) throw new Error(`${source}: no root element`);
  const name = Object.keys(top).find((key) => key !== ':@')!;
  return toElement(name, top);
}

/**
 * Children named `name`, optionally with attribute name="..." (ISCE's <property name="..."> and <component
 * name="...">).
 */
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
