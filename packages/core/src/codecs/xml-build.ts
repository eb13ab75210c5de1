import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { XmlShape } from '../definition.js';

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
    element.txt(escape(value));
    return;
  }
  for (const [prop, spec] of Object.entries(shape.props)) {
    const child = (value as Record<string, unknown>)[prop];
    if (child === undefined) continue;
    // A parser turns a raw tab or line break in an attribute into a space: they go as references.
    if (spec.attribute) element.att(spec.name ?? prop, escape(child).replace(/[\t\n]/g, (c) => `&#${c.charCodeAt(0)};`));
    else if (spec.text) element.txt(escape(child));
    else write(element, spec.name ?? prop, spec.shape, child);
  }
}

// xmlbuilder2 leaves anything that looks like an entity (`&lt;`, `&#65;`) as it is, so text
// would come back changed; escaping every `&` first makes it write exactly what was given. A
// raw CR would be read back as a line feed, so it goes as a reference too.
const escape = (value: unknown) => String(value).replace(/&/g, '&amp;').replace(/\r/g, '&#13;');
