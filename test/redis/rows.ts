import type { SendInput } from '@smswire/sms';

/** A campaign's rows: one Greek mobile each (+30697…), one text, the row id as idempotency key. */
export const campaignRows = (count: number): SendInput[] =>
  Array.from({ length: count }, (_, i) => ({
    to: `+30697${String(1_000_000 + i).padStart(7, '0')}`,
    text: 'Spring sale: 20% off today',
    idempotencyKey: `row-${i}`,
  }));
