/**
 * `@smswire/core/dates`: parameters that take a `Date`. An entry of its own, so that only
 * clients of vendors with date parameters load it; their generated definitions hand `dates` to
 * the client.
 */
import type { DateCodec, ParamDefinition, ParamEncoding } from './vendor-definition.js';

/** The encodings that also take a `Date`. */
export const dateEncodings: ReadonlySet<ParamEncoding> = new Set([
  'unix-seconds',
  'dd/mm/yy hh:mm',
  'yyyy-mm-dd',
  'hh:mm',
]);

/**
 * A Date as the parameter's encoding writes it: Unix seconds, or `dd/mm/yy hh:mm`, `yyyy-mm-dd`
 * or `hh:mm` (24-hour) in its time zone.
 */
export function dateValue(param: ParamDefinition, date: Date): number | string {
  if (param.encode === 'unix-seconds') return Math.floor(date.getTime() / 1000);
  const part = zoned(param, date);
  const time = `${part.hour}:${part.minute}`;
  return param.encode === 'yyyy-mm-dd'
    ? `${part.year}-${part.month}-${part.day}`
    : param.encode === 'hh:mm'
      ? time
      : `${part.day}/${part.month}/${part.year!.slice(-2)} ${time}`;
}

/** The Date's wall-clock fields in the parameter's time zone, the year in full. */
export function zoned(param: ParamDefinition, date: Date): Record<string, string> {
  const zone = param.timeZone ?? 'UTC';
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(zone, format);
  }
  const part: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(date)) part[type] = value;
  return part;
}

const formats = new Map<string, Intl.DateTimeFormat>();

export const dates: DateCodec = { encodings: dateEncodings, value: dateValue, zoned };
