import { readFileSync } from 'node:fs';
import { expect, expectTypeOf, it } from 'vitest';
import * as core from '@smswire/core';
import * as internal from '@smswire/core/internal';
import type { VendorDefinition } from '../src/vendor-definition.js';
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

it('each generated definition hands in the parts of core its tables use, from their own entries, and no others', async () => {
  const { dateEncodings } = await import('../src/dates.js');
  const vendors = await Promise.all(
    ['dinisoft', 'dreams', 'sms365', 'smsleads', 'unified'].map((v) => import(`../../${v}/src/index.ts`)),
  );
  for (const { definition } of vendors as { definition: VendorDefinition }[]) {
    const ops = Object.values(definition.operations);
    const uses = (codec: string) => ops.some((op) => op.reply.codec === codec);
    const expected = [
      ...(ops.some((op) => op.xml || op.reply.codec === 'xml' || (op.reply.codec === 'json' && op.reply.xml))
        ? ['xmlCodec']
        : []),
      ...['json', 'code', 'pipe', 'scalar'].filter(uses).map((codec) => `${codec}Codec`),
      ...(ops.some((op) => Object.values(op.params).some((p) => p.encode && dateEncodings.has(p.encode)))
        ? ['dates']
        : []),
      ...(ops.some((op) => op.oauth) ? ['oauth'] : []),
      'raw',
      'prepare',
    ];
    const tables = ['vendor', 'servers', 'serverNames', 'credentials', 'operations'];
    expect(
      Object.keys(definition)
        .filter((key) => !tables.includes(key))
        .sort(),
      definition.vendor,
    ).toEqual(expected.sort());
  }
  // What a test client does not hand in: a generator bug, a ParseError naming it rather than a crash.
  const { replyDecoder } = await import('../src/codecs/index.js');
  const { replyContext, thrown } = await import('./helpers.js');
  const bare: VendorDefinition = { vendor: 'acme', servers: [], credentials: {}, operations: {} };
  for (const reply of [{ codec: 'code' }, { codec: 'pipe' }, { codec: 'scalar' }] as const)
    expect(thrown(() => replyDecoder(reply, bare)('1', replyContext({})))).toMatchObject({
      name: 'ParseError',
      message: expect.stringMatching(/but the client has no codec for it/),
    });
});

it('the entries only some clients load are exported, each on its own', () => {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  for (const entry of ['./xml', './json', './code', './pipe', './scalar', './dates', './oauth', './raw', './prepare'])
    expect(Object.keys(manifest.publishConfig.exports), entry).toContain(entry);
});
