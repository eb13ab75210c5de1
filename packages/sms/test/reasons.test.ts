import type { VendorDefinition } from '@smswire/core/internal';
import { describe, expect, it } from 'vitest';
import { listVendors } from '../../../scripts/lib/vendors.js';
import { loadVendorModule } from '../../../test/support/clients.js';
import { lookupCode, reasonTables } from '../src/reasons.js';
import type { VendorId } from '../src/vendors.js';

/** Every error code of every operation of every catalog (specs/*.yaml `x-smswire-codes`). */
function errorCodes(definition: VendorDefinition): { operation: string; code: string }[] {
  return Object.entries(definition.operations).flatMap(([operation, op]) =>
    Object.entries(op.codes)
      .filter(([, c]) => c.outcome === 'error')
      .map(([code]) => ({ operation, code })),
  );
}

describe.each(listVendors())('the $id reason table', (vendor) => {
  it('maps every error code of the catalog, in every operation, to a reason', async () => {
    const { definition } = await loadVendorModule(vendor);
    const codes = errorCodes(definition);
    expect(codes.length).toBeGreaterThan(0);
    const unmapped = codes
      .filter(({ operation, code }) => !lookupCode(vendor.id as VendorId, operation, code))
      .map((c) => `${c.operation} ${c.code}`);
    expect(unmapped).toEqual([]);
  });

  it('names no code the catalog does not have', async () => {
    const { definition } = await loadVendorModule(vendor);
    const all = new Set(errorCodes(definition).map((c) => c.code));
    const table = reasonTables[vendor.id as VendorId];
    const stray = [
      ...Object.keys(table.codes),
      ...Object.values(table.operations ?? {}).flatMap((t) => Object.keys(t)),
    ].filter((code) => !all.has(code));
    expect(stray).toEqual([]);
  });
});

it('gives an operation its own meaning where it has one', () => {
  // dreams.txt: -113 is "Not enough balance" for sendsms, "Sender text duplicated" for newsender.
  expect(lookupCode('dreams', 'sendsms', '-113')).toEqual({ reason: 'balance', outcome: 'notAccepted' });
  expect(lookupCode('dreams', 'newsender', '-113')).toEqual({ reason: 'validation', outcome: 'notAccepted' });
  // unified.txt: 1715 "Response timeout … Do not resubmit": the message may exist.
  expect(lookupCode('unified', 'bulksms', '1715')).toEqual({ reason: 'ambiguous', outcome: 'unknown' });
  expect(lookupCode('unified', 'bulksms', '99999')).toBeUndefined();
});
