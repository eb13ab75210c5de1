import { describe, expect, it } from 'vitest';
import * as one from '../src/errors.js';

describe('errors from two installed copies of core', () => {
  it('still answer instanceof by kind, and only by their own kind', async () => {
    // The query makes the module load again: a second copy with its own classes, as a second
    // installed @smswire/core would have.
    const second = '../src/errors.js?second-copy';
    const two = (await import(/* @vite-ignore */ second)) as typeof one;
    expect(two.VendorError).not.toBe(one.VendorError);
    const error = new two.VendorError({ vendor: 'acme', code: '9', description: 'No', retryable: false });
    expect(error instanceof one.VendorError).toBe(true);
    expect(error instanceof one.SmswireError).toBe(true);
    expect(error instanceof Error).toBe(true);
    expect(error instanceof one.ParseError).toBe(false);
    expect(new two.ParseError({ vendor: 'acme', reason: 'x', body: '' }) instanceof one.VendorError).toBe(false);
    expect({ name: 'VendorError' } instanceof one.VendorError).toBe(false);
    expect((null as unknown as object) instanceof one.SmswireError).toBe(false);
  });

  it('keeps a user subclass to its own instances', () => {
    class Mine extends one.VendorError {}
    const theirs = new one.VendorError({ vendor: 'acme', code: '9', description: 'No', retryable: false });
    expect(theirs instanceof Mine).toBe(false);
    expect(
      new Mine({ vendor: 'acme', code: '9', description: 'No', retryable: false }) instanceof one.VendorError,
    ).toBe(true);
  });

  it('adds nothing to what JSON and inspect show', () => {
    const error = new one.ValidationError({ vendor: 'acme', issues: [{ path: 'to', message: 'is required' }] });
    expect(Object.getOwnPropertySymbols(error)).toEqual([]);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: 'ValidationError', vendor: 'acme' });
  });
});
