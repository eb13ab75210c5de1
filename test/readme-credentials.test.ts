import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VendorDefinition } from '@smswire/core/internal';
import { describe, expect, it } from 'vitest';
import { listVendors } from '../scripts/lib/vendors.js';
import { loadVendorModule } from './support/clients.js';

/** The README table of which createClient options each operation needs, as the definition says. */
function credentialTable(definition: VendorDefinition): string {
  const rows = Object.entries(definition.operations).map(([id, op]) => {
    const needs = op.security.map((option) => {
      const instead = op.credentialUnless?.[option];
      return instead
        ? `\`${option}\`, unless the call gives ${instead.map((n) => `\`${n}\``).join(' and ')}`
        : `\`${option}\``;
    });
    if (op.bearer) {
      const oauth = Object.keys(definition.credentials).filter((name) => definition.credentials[name]!.optional);
      needs.push(`a bearer token when the client has ${oauth.map((n) => `\`${n}\``).join(' and ')}`);
    }
    return `| \`${id}\` | ${needs.join('; ') || 'none'} |`;
  });
  return ['| operation | createClient options it needs |', '| --- | --- |', ...rows].join('\n');
}

describe.each(listVendors())('the $id README', (vendor) => {
  it('says which credentials each operation needs, as the spec does', async () => {
    const { definition } = await loadVendorModule(vendor);
    const readme = readFileSync(join(vendor.packageDir, 'README.md'), 'utf8');
    const table = credentialTable(definition);
    expect(
      readme.includes(table),
      `README.md should contain this table (paste it under "Credentials"):\n${table}`,
    ).toBe(true);
  });
});
