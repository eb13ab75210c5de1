import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output } from '../src/output.js';

/** A stdout whose reader takes nothing until `read()`, then everything: a pipe into a slow command. */
function slowPipe() {
  let held: (() => void) | undefined;
  let reading = false;
  const stream = new Writable({
    highWaterMark: 64,
    write(_chunk, _encoding, callback) {
      if (reading) callback();
      else held = callback;
    },
  });
  const read = () => {
    reading = true;
    held?.();
  };
  return { stream, read };
}

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('the output waits for its reader', () => {
  it('drained() is immediate while stdout has room, and waits for the reader once it is full', async () => {
    const pipe = slowPipe();
    const out = new Output(true, pipe.stream, new Writable({ write: (_c, _e, cb) => cb() }));
    expect(await settled(out.drained())).toBe(true);
    for (let i = 0; i < 10; i++) out.emit('row', { row: i }, '');
    const waiting = out.drained();
    expect(await settled(waiting)).toBe(false);
    pipe.read();
    expect(await settled(waiting)).toBe(true);
  });

  it('and stops waiting when the reader goes away (EPIPE), as the run then stops', async () => {
    const pipe = slowPipe();
    const out = new Output(true, pipe.stream, new Writable({ write: (_c, _e, cb) => cb() }));
    for (let i = 0; i < 10; i++) out.emit('row', { row: i }, '');
    const waiting = out.drained();
    expect(await settled(waiting)).toBe(false);
    pipe.stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(await settled(waiting)).toBe(true);
    expect(out.closed).toBe(true);
    expect(await settled(out.drained())).toBe(true);
  });

  it('flushed() is true once the lines are taken, false once the reader has gone', async () => {
    const pipe = slowPipe();
    const out = new Output(true, pipe.stream, new Writable({ write: (_c, _e, cb) => cb() }));
    out.emit('reply', { n: 1 }, '');
    const taken = out.flushed();
    expect(await settled(taken)).toBe(false);
    pipe.read();
    expect(await taken).toBe(true);
    const failing = new Writable({
      write: (_c, _e, cb) => cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })),
    });
    const gone = new Output(true, failing, new Writable({ write: (_c, _e, cb) => cb() }));
    gone.emit('reply', { n: 1 }, '');
    expect(await gone.flushed()).toBe(false);
    expect(gone.closed).toBe(true);
  });
});
