import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/index.js';
import { formatSchedule } from '../src/schedule.js';

describe('formatSchedule', () => {
  it.each([
    ['2018-03-03T03:45:00Z', undefined, { date: '03/03/2018', time: '03:45 am', gmt: '+00:00' }],
    ['2018-03-03T23:51:00Z', '+00:00', { date: '03/03/2018', time: '11:51 pm', gmt: '+00:00' }],
    ['2018-03-03T00:05:00Z', '+00:00', { date: '03/03/2018', time: '12:05 am', gmt: '+00:00' }],
    ['2018-03-03T12:00:00Z', '+00:00', { date: '03/03/2018', time: '12:00 pm', gmt: '+00:00' }],
    ['2018-12-31T20:00:00Z', '+05:30', { date: '01/01/2019', time: '01:30 am', gmt: '+05:30' }],
    ['2018-01-01T05:00:00Z', '-10:00', { date: '12/31/2017', time: '07:00 pm', gmt: '-10:00' }],
    ['2018-06-15T10:00:00Z', 'GMT +1:30', { date: '06/15/2018', time: '11:30 am', gmt: '+01:30' }],
  ])('formats %s at %s', (iso, gmt, expected) => {
    expect(formatSchedule(new Date(iso), gmt)).toEqual(expected);
  });

  it.each([
    [new Date('not a date'), '+00:00', 'at'],
    [new Date(0), '5:30', 'gmt'],
    [new Date(0), '+25:00', 'gmt'],
    [new Date(0), '+05:75', 'gmt'],
    [new Date(0), '+14:30', 'gmt'],
    [new Date('+010000-01-01T00:00:00Z'), '+00:00', 'at'],
  ])('refuses %s / %s', (at, gmt, path) => {
    try {
      formatSchedule(at, gmt);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]?.path).toBe(path);
    }
  });
});
