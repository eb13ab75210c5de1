import { readFileSync } from 'node:fs';
import { expect, expectTypeOf, it } from 'vitest';
import * as core from '@smswire/core';
import * as internal from '@smswire/core/internal';
import { createClient, type DinisoftOptions } from '../../dinisoft/src/index.js';
import { createClient as createUnified, type UnifiedOptions } from '../../unified/src/index.js';

it('the main entry holds what users meet: the error classes (and types), nothing of the runtime', () => {
  expect(Object.keys(core).sort()).toEqual([
    'AbortError',
    'HttpError',
    'ParseError',
    'SmswireError',
    'TimeoutError',
    'TransportError',
    'ValidationError',
    'VendorError',
  ]);
  expect(internal).not.toHaveProperty('SmswireError');
});

it('the internal entry holds what our packages use of core, and nothing kept only for tests', () => {
  // Generated clients: createVendorRuntime and codeTable; the command: createRedactor and redacted;
  // @smswire/sms: channel, tracingChannel, traced, parentEvent and resolveLogger; tests: withInternals.
  // Core's own tests import the reader, encoder and decoder from its sources, as the client does.
  expect(Object.keys(internal).sort()).toEqual([
    'channel',
    'codeTable',
    'createRedactor',
    'createVendorRuntime',
    'parentEvent',
    'redacted',
    'resolveLogger',
    'traced',
    'tracingChannel',
    'withInternals',
  ]);
});

it('createClient takes the options only: the test seam is not in its signature', () => {
  expectTypeOf(createClient).parameters.toEqualTypeOf<[DinisoftOptions]>();
  expectTypeOf(createUnified).parameters.toEqualTypeOf<[UnifiedOptions]>();
});

it('the internal entry is exported, and says it is unstable', () => {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  expect(Object.keys(manifest.publishConfig.exports)).toContain('./internal');
  expect(readFileSync(new URL('../src/internal.ts', import.meta.url), 'utf8')).toMatch(/Not a public API/);
});
