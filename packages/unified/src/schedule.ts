import { ValidationError } from '@smswire/core';

/** The vendor's scheduling fields: `MM/DD/YYYY`, `hh:mm am|pm`, `+hh:mm`. */
export interface ScheduleFields {
  date: string;
  time: string;
  gmt: string;
}

const offsetPattern = /^(?:GMT ?)?([+-])(\d{1,2}):(\d{2})$/;

/**
 * Formats an instant as the wall-clock time at the given UTC offset (default `+00:00`), the way
 * the vendor reads it. Midnight and noon are `12:mm am` and `12:mm pm`.
 */
export function formatSchedule(at: Date, gmt: string = '+00:00'): ScheduleFields {
  const issues = [];
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) issues.push({ path: 'at', message: 'must be a valid Date' });
  // MM/DD/YYYY has four year digits.
  else if (at.getUTCFullYear() < 1000 || at.getUTCFullYear() > 9998)
    issues.push({ path: 'at', message: 'must be in the years 1000 to 9998' });
  const match = offsetPattern.exec(gmt);
  const hours = Number(match?.[2]);
  const minutes = Number(match?.[3]);
  if (!match || hours > 14 || minutes > 59 || (hours === 14 && minutes > 0))
    issues.push({ path: 'gmt', message: 'must be an offset like +05:30 or -10:00' });
  if (issues.length > 0) throw new ValidationError({ vendor: 'unified', operation: 'schedulemsg', issues });

  const sign = match![1] === '-' ? -1 : 1;
  const wall = new Date(at.getTime() + sign * (hours * 60 + minutes) * 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  const hour24 = wall.getUTCHours();
  return {
    date: `${two(wall.getUTCMonth() + 1)}/${two(wall.getUTCDate())}/${wall.getUTCFullYear()}`,
    time: `${two(hour24 % 12 || 12)}:${two(wall.getUTCMinutes())} ${hour24 < 12 ? 'am' : 'pm'}`,
    gmt: `${match![1]}${two(hours)}:${two(minutes)}`,
  };
}
