import type { XmlShape, ReplyContext } from '../vendor-definition.js';
import { parseError } from './context.js';

const integer = /^-?[0-9]{1,15}$/;
const number = /^-?[0-9]{1,15}(\.[0-9]+)?$/;

/**
 * Holds a parsed JSON reply to the spec's schema, as XML replies are: the value becomes the
 * typed result or a ParseError, never a result of the wrong runtime type. PHP vendors send
 * numbers as strings (`"balance":"12.5"`), so a numeric string where the schema says number is
 * converted, and so is a number where it says string. A list the schema wraps (the document's
 * `contacts{ contact{ … } }`) may come as the list itself or inside its wrapper object; both
 * decode to the same array. Properties the schema does not name are kept as they came.
 */
export type Shaper = (value: unknown, ctx: ReplyContext, body: string, path: string) => unknown;

/**
 * A shape's shaper, made once per shape: an object's properties are an array walked with their
 * own functions, not the shape's entries looked up and switched on per reply
 * (docs/benchmarks.md, "Made once").
 */
const shapers = new WeakMap<XmlShape, Shaper>();
export function shaperOf(shape: XmlShape): Shaper {
  let shaper = shapers.get(shape);
  if (!shaper) {
    shaper = makeShaper(shape);
    shapers.set(shape, shaper);
  }
  return shaper;
}

function makeShaper(shape: XmlShape): Shaper {
  switch (shape.type) {
    case 'string':
      return toText;
    case 'integer':
      return toInteger;
    case 'number':
      return toNumber;
    case 'boolean':
      return toBoolean;
    case 'array': {
      const { item } = shape;
      const items = shaperOf(shape.items);
      return (value, ctx, body, path) => {
        let list = value;
        if (item !== undefined && isRecord(value)) {
          // The wrapper level the document shows; an empty wrapper is an empty list.
          const keys = Object.keys(value);
          if (keys.length === 0) return [];
          if (keys.length !== 1 || keys[0] !== item) throw mismatch(ctx, body, path, `a list (or a "${item}" wrapper)`);
          list = value[item];
          if (isRecord(list)) list = [list];
        }
        if (!Array.isArray(list)) throw mismatch(ctx, body, path, 'a list');
        return list.map((entry, i) => items(entry, ctx, body, `${path}[${i}]`));
      };
    }
    case 'object': {
      const names = Object.keys(shape.props);
      const props = names.map((name) => shaperOf(shape.props[name]!.shape));
      return (value, ctx, body, path) => {
        if (!isRecord(value)) throw mismatch(ctx, body, path, 'an object');
        const out: Record<string, unknown> = { ...value };
        for (let i = 0; i < names.length; i++) {
          const name = names[i]!;
          const found = value[name];
          // Absent and null are both "not there": the optional field is left out, never null.
          if (found === undefined || found === null) delete out[name];
          else out[name] = props[i]!(found, ctx, body, path ? `${path}.${name}` : name);
        }
        return out;
      };
    }
  }
}

function toText(value: unknown, ctx: ReplyContext, body: string, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw mismatch(ctx, body, path, 'text');
}

function toInteger(value: unknown, ctx: ReplyContext, body: string, path: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && integer.test(value.trim())) return Number(value.trim());
  throw mismatch(ctx, body, path, 'an integer');
}

function toNumber(value: unknown, ctx: ReplyContext, body: string, path: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && number.test(value.trim())) return Number(value.trim());
  throw mismatch(ctx, body, path, 'a number');
}

function toBoolean(value: unknown, ctx: ReplyContext, body: string, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  throw mismatch(ctx, body, path, 'a boolean');
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function mismatch(ctx: ReplyContext, body: string, path: string, expected: string) {
  return parseError(ctx, `${path || 'the reply'} is not ${expected}`, body);
}
