import type { XmlProperty, XmlShape } from '../../packages/core/src/vendor-definition.js';
import { componentName, merged, type Schema, type Spec } from './model.js';
import { need, SpecError } from './spec.js';

/**
 * The `#/components/schemas` name each shape was derived from, so the emitter writes a
 * component's shape once, as a named constant, and refers to it wherever the schema is used.
 */
const components = new WeakMap<XmlShape, string>();

export function shapeComponent(shape: XmlShape): string | undefined {
  return components.get(shape);
}

/**
 * An XML reply: its shape, and the root element the schema names (checked on every reply),
 * unless the spec says the vendor never names it (`x-smswire-xml-any-root`).
 */
export function xmlReply(spec: Spec, raw: Schema, where: string): { shape: XmlShape; root?: string } {
  const root = merged(raw).xml?.name;
  const named = root && !spec.xmlAnyRoot;
  return { shape: xmlShape(spec, raw, where), ...(named ? { root } : {}) };
}

/** How the XML form of a schema maps onto its JSON shape (see XmlShape in core). */
export function xmlShape(
  spec: Spec,
  raw: Schema,
  where: string,
  options: { request?: boolean } = {},
  depth = 0,
): XmlShape {
  const shape = shapeOf(spec, raw, where, options, depth);
  const component = componentName(raw);
  if (component !== undefined) components.set(shape, component);
  return shape;
}

function shapeOf(spec: Spec, raw: Schema, where: string, options: { request?: boolean }, depth: number): XmlShape {
  if (depth > 16) throw new SpecError(`${where}: the reply schema nests too deep (recursive?)`);
  const schema = merged(raw);
  // Reply schemas may leave `type` out: Redocly would otherwise check the XML examples' text against `object`.
  const declared = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  const type = declared ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined);
  switch (type) {
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return { type };
    case 'array': {
      const rawItems: Schema = schema.items ?? { keywords: [] };
      const items = merged(rawItems);
      const shape: XmlShape = {
        type: 'array',
        items: xmlShape(spec, rawItems, `${where}[]`, options, depth + 1),
      };
      if (schema.xml?.wrapped) shape.item = need(items.xml?.name, `${where}: a wrapped XML list needs items.xml.name`);
      return shape;
    }
    case 'object': {
      const props: Record<string, XmlProperty> = {};
      for (const [name, rawProp] of Object.entries(schema.properties ?? {})) {
        const prop = merged(rawProp);
        const shape = xmlShape(spec, rawProp, `${where}.${name}`, options, depth + 1);
        // A list that is not wrapped repeats its item element in place.
        const repeated = (prop.type === 'array' || (!prop.type && prop.items)) && !prop.xml?.wrapped;
        const itemXml = repeated ? merged(prop.items ?? { keywords: [] }).xml : undefined;
        const element = repeated ? (itemXml?.name ?? prop.xml?.name) : prop.xml?.name;
        const anyName = itemXml?.anyName;
        if (anyName) {
          if (options.request)
            throw new SpecError(`${where}.${name}: x-smswire-any-name is for replies; a request names its elements`);
          if (itemXml?.name !== undefined)
            throw new SpecError(`${where}.${name}: an item element with any name has no xml.name`);
          if (Object.values(props).some((p) => p.anyName))
            throw new SpecError(`${where}: only one property may take elements of any name`);
        }
        props[name] = {
          ...(element && element !== name ? { name: element } : {}),
          ...(prop.xml?.attribute ? { attribute: true as const } : {}),
          ...(prop.xml?.text ? { text: true as const } : {}),
          ...(anyName ? { anyName: true as const } : {}),
          shape,
        };
      }
      return { type: 'object', props };
    }
    default:
      return { type: 'string' };
  }
}
