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
export function shapeJson(value: unknown, shape: XmlShape, ctx: ReplyContext, body: string, path = ''): unknown {
  switch (shape.type) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      throw mismatch(ctx, body, path, 'text');
    case 'integer':
    case 'number': {
      const pattern = shape.type === 'integer' ? integer : number;
      if (typeof value === 'number' && (shape.type === 'number' ? Number.isFinite(value) : Number.isSafeInteger(value)))
        return value;
      if (typeof value === 'string' && pattern.test(value.trim())) return Number(value.trim());
      throw mismatch(ctx, body, path, shape.type === 'integer' ? 'an integer' : 'a number');
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 1 || value === '1' || value === 'true') return true;
      if (value === 0 || value === '0' || value === 'false') return false;
      throw mismatch(ctx, body, path, 'a boolean');
    case 'array': {
      let items = value;
      if (shape.item !== undefined && isRecord(value)) {
        // The wrapper level the document shows; an empty wrapper is an empty list.
        const keys = Object.keys(value);
        if (keys.length === 0) return [];
        if (keys.length !== 1 || keys[0] !== shape.item)
          throw mismatch(ctx, body, path, `a list (or a "${shape.item}" wrapper)`);
        items = value[shape.item];
        if (isRecord(items)) items = [items];
      }
      if (!Array.isArray(items)) throw mismatch(ctx, body, path, 'a list');
      return items.map((item, i) => shapeJson(item, shape.items, ctx, body, `${path}[${i}]`));
    }
    case 'object': {
      if (!isRecord(value)) throw mismatch(ctx, body, path, 'an object');
      const out: Record<string, unknown> = { ...value };
      for (const prop in shape.props) {
        const found = value[prop];
        // Absent and null are both "not there": the optional field is left out, never null.
        if (found === undefined || found === null) {
          delete out[prop];
          continue;
        }
        out[prop] = shapeJson(found, shape.props[prop]!.shape, ctx, body, path ? `${path}.${prop}` : prop);
      }
      return out;
    }
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function mismatch(ctx: ReplyContext, body: string, path: string, expected: string) {
  return parseError(ctx, `${path || 'the reply'} is not ${expected}`, body);
}
