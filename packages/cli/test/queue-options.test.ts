import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/exit-codes.js';
import { shownUrl } from '../src/queue/connect.js';
import { campaignKeys, queueName } from '../src/queue/keys.js';
import { parseRate } from '../src/queue/rate.js';

describe('--rate', () => {
  it('reads messages a second or a minute', () => {
    expect(parseRate('50/s')).toEqual({ max: 50, ms: 1000 });
    expect(parseRate(' 3000 / min ')).toEqual({ max: 3000, ms: 60_000 });
  });
  it.each(['0/s', '50', '50/h', '-5/s', '1.5/s', 'fast'])('refuses %s (exit 2)', (value) => {
    expect(() => parseRate(value)).toThrow(UsageError);
  });
});

describe('--queue', () => {
  it('is printed without its password', () => {
    expect(shownUrl('redis://:s3cret@host:6379')).toBe('redis://:[redacted]@host:6379');
    expect(shownUrl('rediss://user:p%40ss@host:6380/0')).toBe('rediss://user:[redacted]@host:6380/0');
    expect(shownUrl('redis://host:6379')).toBe('redis://host:6379');
  });
});

describe('campaign keys', () => {
  it('keep a name with colons or spaces inside its own keys and queue', () => {
    expect(queueName('spring:sale 1')).toBe('campaign-spring%3Asale%201');
    expect(campaignKeys('a:b').meta).toBe('smswire:campaign:a%3Ab:meta');
    expect(campaignKeys('a').rows).not.toBe(campaignKeys('a:rows').rows);
  });
});
