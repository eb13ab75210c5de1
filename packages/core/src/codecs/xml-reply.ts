import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { XmlDefect, XmlProperty, XmlShape, ReplyContext } from '../vendor-definition.js';
import { parseError } from './context.js';
import { limitCount } from './limits.js';

const attributePrefix = '@_';
const textNode = '#text';

// The distinct element names of the reply being parsed (parsing is synchronous): each is a key of
// some object, and objects with thousands of keys cost several times more than repeated elements.
// A reply schema names a few dozen.
const names = new Set<string>();
const maxNames = 256;

// Leading-zero numbers such as phone numbers stay strings (`parseTagValue: false`); a DOCTYPE is
// refused before parsing, so no entity can be declared and only the five predefined ones and
// character references remain; the limits are a second line of defence.
const options = {
  ignoreAttributes: false,
  attributeNamePrefix: attributePrefix,
  textNodeName: textNode,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  htmlEntities: true,
  processEntities: {
    enabled: true,
    maxEntityCount: 0,
    maxEntitySize: 1,
    maxExpandedLength: 1_000_000,
    maxExpansionDepth: 1,
  },
  maxNestedTags: 64,
  // No callback reads the path, and building it as a string for every element cost a fifth of
  // the parse (docs/benchmarks.md).
  jPath: false,
  // Called once per element (fast-xml-parser calls a default otherwise), so counting is free.
  updateTag: (name: string) => {
    if (names.add(name).size > maxNames) throw new RangeError('too many names');
    return name;
  },
} as const;
const parser = new XMLParser(options);
// fast-xml-parser builds its table of HTML entities anew for every parse, which cost more than
// all the rest of a short reply's decode (docs/benchmarks.md); a body without `&` holds no
// entity or character reference to decode, so the table is skipped for it.
const parserWithoutEntities = new XMLParser({ ...options, htmlEntities: false });

const doctype = /<!(DOCTYPE|ENTITY)/i;

/**
 * Parses an XML reply into plain objects and returns the root element's content. With `root`
 * (the schema's `xml.name`), a root element of another name is a ParseError: an HTML page or
 * an XML error envelope is not the reply the spec describes. Anything that is not one
 * well-formed element without a DOCTYPE, or that names an element `__proto__`, is a ParseError,
 * except the defects the vendor's spec declares (see XmlDefect).
 */
export function parseXml(
  body: string,
  ctx: ReplyContext,
  tolerate: readonly XmlDefect[] = [],
  root?: string,
  errorRoot?: string,
): unknown {
  // Parsing is synchronous: these bound how long a reply can hold up the event loop. An empty
  // element (`<a/>`) costs as much as a pair of tags.
  limitCount(ctx, body, ['<', '/>'], 'tag');
  limitCount(ctx, body, ['='], 'attribute');
  limitCount(ctx, body, ['&'], 'entity reference');
  if (doctype.test(body)) throw parseError(ctx, 'a DOCTYPE or entity declaration is refused', body);
  const rootless = tolerate.includes('rootless');
  // Without a root of its own, the reply is read inside one: its top-level elements become its fields.
  let text = rootless ? `<_>${body.replace(/^\s*<\?xml[^>]*\?>/, '')}</_>` : body;
  let valid = XMLValidator.validate(text);
  if (valid !== true && tolerate.includes('unclosed-text')) {
    text = text.replace(/<([A-Za-z_][\w.-]*)>([^<]*)<\1>/g, '<$1>$2</$1>');
    valid = XMLValidator.validate(text);
  }
  if (valid !== true) throw parseError(ctx, `not well-formed XML (line ${valid.err.line})`, body);
  let parsed: Record<string, unknown>;
  names.clear();
  try {
    parsed = (text.includes('&') ? parser : parserWithoutEntities).parse(text) as Record<string, unknown>;
  } catch {
    // fast-xml-parser refuses `__proto__`, `constructor` and friends as names, and over-deep nesting.
    throw parseError(
      ctx,
      names.size > maxNames ? `more than ${maxNames} element names` : 'forbidden element name or nesting',
      body,
    );
  }
  if (rootless) {
    const inner = parsed._;
    if (typeof inner !== 'object' || inner === null || Object.hasOwn(inner, textNode))
      throw parseError(ctx, 'expected XML elements', body);
    const tops = Object.keys(inner);
    // One element with children (or none) is the root; several, or one with only text, are the fields.
    const only = tops.length === 1 ? (inner as Record<string, unknown>)[tops[0]!] : undefined;
    if (only === undefined || !((typeof only === 'object' || only === '') && !Array.isArray(only))) {
      // Rootless fields are text (`<status>944</status><message>…</message>`); an element with
      // children beside them is a whole reply followed by stray siblings, not fields.
      for (const key of tops) {
        const value = (inner as Record<string, unknown>)[key];
        const element = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
        if (element(value) || (Array.isArray(value) && value.some(element)))
          throw parseError(ctx, 'a root element with siblings', body);
      }
      return inner;
    }
    checkRoot(tops[0]!, root, ctx, body, errorRoot);
    return only;
  }
  const roots = Object.keys(parsed);
  if (roots.length !== 1) throw parseError(ctx, 'expected one root element', body);
  checkRoot(roots[0]!, root, ctx, body, errorRoot);
  return parsed[roots[0]!];
}

function checkRoot(found: string, root: string | undefined, ctx: ReplyContext, body: string, errorRoot?: string) {
  if (root !== undefined && found !== root && found !== errorRoot)
    throw parseError(ctx, `expected the root element <${root}>, found <${found}>`, body);
}

/**
 * Converts parsed XML to the JSON shape of the spec: lists stay lists even with one element,
 * attributes become properties, numbers and booleans are converted. Elements the shape does not
 * name are kept as parsed.
 */
export function shapeXml(value: unknown, shape: XmlShape, ctx: ReplyContext, body: string, path = ''): unknown {
  switch (shape.type) {
    case 'string':
      return text(value, ctx, body, path);
    case 'integer':
    case 'number': {
      const raw = text(value, ctx, body, path).trim();
      const ok = shape.type === 'integer' ? /^-?[0-9]{1,15}$/.test(raw) : /^-?[0-9]{1,15}(\.[0-9]+)?$/.test(raw);
      if (!ok) throw parseError(ctx, `${path} is not ${shape.type === 'integer' ? 'an integer' : 'a number'}`, body);
      return Number(raw);
    }
    case 'boolean': {
      const raw = text(value, ctx, body, path).trim().toLowerCase();
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw parseError(ctx, `${path} is not a boolean`, body);
    }
    case 'array': {
      // An empty wrapper (`<contacts/>`) is an empty list.
      if (value === '' || value === undefined) return [];
      let items: unknown = value;
      // A wrapped list may also come without its wrapper, the list element repeated in place
      // (sms365 documents `contacts{ contact{ … } }` but its JSON form is flat): both read the same.
      if (shape.item !== undefined && !Array.isArray(value)) {
        if (typeof value !== 'object' || value === null) throw parseError(ctx, `${path} is not a list`, body);
        const record = value as Record<string, unknown>;
        const children = Object.keys(record).filter((key) => !key.startsWith(attributePrefix));
        items = Object.hasOwn(record, shape.item) ? record[shape.item] : children.length === 0 ? [] : record;
      }
      return (Array.isArray(items) ? items : [items]).map((item, i) =>
        shapeXml(item, shape.items, ctx, body, `${path}[${i}]`),
      );
    }
    case 'object':
      return shapeObject(value, shape.props, ctx, body, path);
  }
}

/**
 * What reading (and writing, xml-build.ts) needs of an object shape, worked out once per shape
 * rather than per element.
 */
interface ObjectPlan {
  readonly fields: readonly (readonly [prop: string, key: string, spec: XmlProperty])[];
  readonly claimed: ReadonlySet<string>;
  readonly hasText: boolean;
  /** The property that takes the unclaimed child elements, whatever their name (`anyName`). */
  readonly anyName: string | undefined;
}
const plans = new WeakMap<object, ObjectPlan>();

export function planFor(props: Readonly<Record<string, XmlProperty>>): ObjectPlan {
  let plan = plans.get(props);
  if (!plan) {
    const fields = Object.entries(props).map(
      ([prop, spec]) =>
        [
          prop,
          spec.text ? textNode : spec.attribute ? `${attributePrefix}${spec.name ?? prop}` : (spec.name ?? prop),
          spec,
        ] as const,
    );
    const anyName = fields.find(([, , spec]) => spec.anyName)?.[0];
    const claimed = new Set(fields.filter(([, , spec]) => !spec.anyName).map(([, key]) => key));
    plan = { fields, claimed, hasText: fields.some(([, , spec]) => spec.text), anyName };
    plans.set(props, plan);
  }
  return plan;
}

function shapeObject(
  value: unknown,
  props: Readonly<Record<string, XmlProperty>>,
  ctx: ReplyContext,
  body: string,
  path: string,
) {
  const { fields, claimed, hasText, anyName } = planFor(props);
  // An empty element (`<usersender/>`) still gets its repeated lists, empty; an element whose
  // text is a property may come without attributes (`<phone>0501234567</phone>`).
  if (typeof value === 'string' && (value === '' || hasText)) value = value === '' ? {} : { [textNode]: value };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw parseError(ctx, `${path || 'the root'} is not an element with children`, body);
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // The one element name no other property claims, when a property takes any name.
  let anyKey: string | undefined;
  if (anyName !== undefined) {
    const unclaimed = Object.keys(source).filter((key) => !claimed.has(key) && !key.startsWith(attributePrefix));
    if (unclaimed.length > 1)
      throw parseError(
        ctx,
        `expected one repeated element in ${path || 'the root'}, found <${unclaimed.join('>, <')}>`,
        body,
      );
    anyKey = unclaimed[0];
  }
  for (const [prop, key, spec] of fields) {
    const found = spec.anyName ? (anyKey === undefined ? undefined : source[anyKey]) : source[key];
    if (found === undefined) {
      if (spec.shape.type === 'array' && spec.shape.item === undefined) out[prop] = [];
      continue;
    }
    out[prop] = shapeXml(found, spec.shape, ctx, body, path ? `${path}.${prop}` : prop);
  }
  if (anyName === undefined)
    for (const key of Object.keys(source))
      if (!claimed.has(key) && !key.startsWith(attributePrefix)) out[key] = source[key];
  return out;
}

function text(value: unknown, ctx: ReplyContext, body: string, path: string): string {
  if (typeof value === 'string') return value;
  // An element with attributes keeps its text under `#text`.
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const children = Object.keys(record).some((key) => key !== textNode && !key.startsWith(attributePrefix));
    const inner = record[textNode];
    if (!children && (typeof inner === 'string' || inner === undefined)) return inner ?? '';
  }
  throw parseError(ctx, `${path} is not text`, body);
}
