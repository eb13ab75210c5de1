import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { aborted, abortOn } from '../src/abort-signals.js';
import { createSms } from '../src/index.js';
import { sms365 } from '../src/sms365.js';

/** sms365 answering every request at once: `smsSend` with one ID, `smsBulk` with one per number. */
const fetch = async (_input: string | URL | Request, init?: RequestInit) => {
  const to = (new URLSearchParams(String(init?.body ?? '')).get('to') ?? '').split(',');
  const sms = to.map((msisdn, i) => ({ smsId: String(i + 1), msisdn }));
  const reply = { status: 1, error: 0, remarks: 'Success', smsId: '1', id: sms.map((s) => s.smsId), sms };
  return new Response(JSON.stringify(reply), { headers: { 'content-type': 'application/json' } });
};

describe('the signals a sendMany run obeys', () => {
  it('leaves no listener on a long-lived signal after each run', async () => {
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: 'http://sms365.invalid', fetch })] });
    const controller = new AbortController();
    for (let run = 0; run < 20; run++) {
      const results = await sms.sendMany([{ to: '+306971000001', text: `run ${run}` }], {
        signal: controller.signal,
      });
      expect(results.map((r) => r.status)).toEqual(['accepted']);
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('fires once for any of the signals, and a race with a promise that never settles ends then', async () => {
    const first = new AbortController();
    const second = new AbortController();
    const stop = abortOn(first.signal, undefined, second.signal);
    expect(stop.aborted()).toBe(false);
    const never = stop.race(new Promise<never>(() => undefined));
    second.abort();
    await expect(never).resolves.toBe(aborted);
    expect(stop.aborted()).toBe(true);
    expect(stop.signal?.aborted).toBe(true);
    stop.release();
    expect(getEventListeners(first.signal, 'abort')).toHaveLength(0);
  });

  it('keeps nothing of a race once it is answered, however many a run makes (a row each in `smswire bulk`)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const stop = abortOn(new AbortController().signal);
    const raceOnce = async (i: number) => {
      const answer = { i };
      expect(await stop.race(Promise.resolve(answer))).toBe(answer);
      return new WeakRef(answer);
    };
    const answers: WeakRef<object>[] = [];
    for (let i = 0; i < 100; i++) answers.push(await raceOnce(i));
    // Collected only once nothing holds them: a race that left a reaction on a promise of the
    // run's kept each answer as long as the run.
    await new Promise(setImmediate);
    gc();
    expect(answers.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    stop.release();
  });

  it('is a signal already fired when one given was', async () => {
    const stop = abortOn(AbortSignal.abort());
    expect(stop.aborted()).toBe(true);
    await expect(stop.race(new Promise<never>(() => undefined))).resolves.toBe(aborted);
  });

  it('is no signal at all when none is given', async () => {
    const stop = abortOn(undefined, undefined);
    expect(stop.signal).toBeUndefined();
    await expect(stop.race(Promise.resolve(1))).resolves.toBe(1);
  });
});
