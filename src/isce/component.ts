import { readFileSync } from 'node:fs';
import { childrenOf, parseXml, type XmlElement } from './xml.js';

/**
 * ISCE2's component XML: `<component name="...">` nests components and `<property name="...">` holds a value,
 * either as `<value>...</value>` (product and image files ISCE writes) or as text (topsApp.xml). Names compare
 * without case, as ISCE does.
 */
export class IsceComponent {
  constructor(
    readonly element: XmlElement,
    readonly source: string,
  ) {}

  static read(path: string): IsceComponent {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new Error(`${path} cannot be read`);
    }
    return new IsceComponent(parseXml(text, path), path);
  }

  /** The text of property `name`, or undefined when absent. */
  property(name: string): string | undefined {
    const element = childrenOf(this.element, 'property', name)[0];
    if (!element) return undefined;
    const value = childrenOf(element, 'value')[0];
    return (value ? value.text : element.text).trim();
  }

  /** Property `name`, which must exist. */
  required(name: string): string {
    const value = this.property(name);
    if (value === undefined)
      throw new Error(
        `${this.source}: property "${name}" is missing from <${this.element.name}${this.element.attributes.name ? ` name="${this.element.attributes.name}"` : ''}>`,
      );
    return value;
  }

  number(name: string): number {
    const text = this.required(name);
    const value = Number(text);
    if (!Number.isFinite(value)) throw new Error(`${this.source}: property "${name}" is "${text}", not a number`);
    return value;
  }

  component(name: string): IsceComponent | undefined {
    const element = childrenOf(this.element, 'component', name)[0];
    return element ? new IsceComponent(element, this.source) : undefined;
  }

  requiredComponent(name: string): IsceComponent {
    const component = this.component(name);
    if (!component) throw new Error(`${this.source}: component "${name}" is missing`);
    return component;
  }

  /** Child components in document order. */
  components(): IsceComponent[] {
    return childrenOf(this.element, 'component').map((e) => new IsceComponent(e, this.source));
  }
}

/** ISCE writes times as `2020-06-04 02:23:12.933265` (UTC, microseconds); returned as epoch seconds (float). */
export function isceTime(text: string, source: string): number {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?Z?$/.exec(text.trim());
  if (!match) throw new Error(`${source}: "${text}" is not an ISCE time`);
  const whole = Date.parse(`${match[1]}T${match[2]}Z`) / 1000;
  return whole + (match[3] ? Number(`0${match[3]}`) : 0);
}

/** Python-literal lists as ISCE writes them: `[1.0, 2.5, 3]`. */
export function isceNumberList(text: string, source: string): number[] {
  const inner = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  const values = inner.split(',').map((v) => Number(v.trim()));
  if (values.some((v) => !Number.isFinite(v))) throw new Error(`${source}: "${text}" is not a list of numbers`);
  return values;
}
