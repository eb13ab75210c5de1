import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { XmlShape } from '../vendor-definition.js';
import { planFor } from './xml-reply.js';

/**
 * Writes a request as XML: elements in the order of the shape's properties, lists as repeated
 * elements (inside their wrapper when the shape names an item element), attributes and element
 * text where the shape says so. Values were validated first, so every text is XML-safe.
 */
export function buildXml(root: string, shape: XmlShape, value: unknown): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  write(doc, root, shape, value);
  return doc.end({ wellFormed: true });
}

function write(parent: XMLBuilder, name: string, shape: XmlShape, value: unknown): void {
  if (shape.type === 'array') {
    const holder = shape.item === undefined ? parent : parent.ele(name);
    for (const item of value as unknown[]) write(holder, shape.item ?? name, shape.items, item);
    return;
  }
  const element = parent.ele(name);
  if (shape.type !== 'object') {
    element.txt(escapeText(value));
    return;
  }
  for (const [prop, , spec] of planFor(shape.props).fields) {
    const child = (value as Record<string, unknown>)[prop];
    if (child === undefined) continue;
    if (spec.attribute) element.att(spec.name ?? prop, escapeText(child, true));
    else if (spec.text) element.txt(escapeText(child));
    else write(element, spec.name ?? prop, spec.shape, child);
  }
}

// xmlbuilder2 leaves anything that looks like an entity (`&lt;`, `&#65;`) as it is, so text
// would come back changed; escaping every `&` first makes it write exactly what was given. A
// raw CR would be read back as a line feed, so it goes as a reference too; in an attribute, a
// parser turns a raw tab or line feed into a space, so they do as well.
const escapeText = (value: unknown, attribute = false) => {
  let text = String(value).replace(/&/g, '&amp;');
  // Most values have none of these: a scan is cheaper than a replace.
  if (text.includes('\r')) text = text.replace(/\r/g, '&#13;');
  if (attribute && /[\t\n]/.test(text)) text = text.replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
  return text;
};
