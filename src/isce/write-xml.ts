import { escapeXmlText as esc } from '../text.js';
import type { IsceDataType, Interleave } from './raster.js';

/**
 * ISCE2's XML as ISCE2 writes it: `<property name>` elements with a `<value>`, and `<imageFile>` raster descriptions.
 */

export function property(name: string, value: string | number, indent: string): string {
  return `${indent}<property name="${name}">\n${indent}    <value>${esc(String(value))}</value>\n${indent}</property>\n`;
}

export interface ImageDescription {
  readonly file: string;
  readonly width: number;
  readonly length: number;
  readonly bands: number;
  readonly dataType: IsceDataType;
  readonly scheme: Interleave;
  readonly x0: number;
  readonly dx: number;
  readonly y0: number;
  readonly dy: number;
}

export function imageXml(image: ImageDescription): string {
  const coordinate = (name: string, start: number, delta: number, size: number): string =>
    `    <component name="${name}">\n        <factorymodule>isceobj.Image</factorymodule>\n        <factoryname>createCoordinate</factoryname>\n` +
    property('delta', delta, '        ') +
    property('endingvalue', start + delta * size, '        ') +
    property('size', size, '        ') +
    property('startingvalue', start, '        ') +
    `    </component>\n`;
  return (
    `<imageFile>\n` +
    property('access_mode', 'read', '    ') +
    property('byte_order', 'l', '    ') +
    coordinate('coordinate1', image.x0, image.dx, image.width) +
    coordinate('coordinate2', image.y0, image.dy, image.length) +
    property('data_type', image.dataType, '    ') +
    property('file_name', image.file, '    ') +
    property('length', image.length, '    ') +
    property('number_bands', image.bands, '    ') +
    property('scheme', image.scheme, '    ') +
    property('width', image.width, '    ') +
    `</imageFile>\n`
  );
}
