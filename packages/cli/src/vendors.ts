import { vendorIds, type VendorId } from '@smswire/sms';
// One row per spec, written by `pnpm generate` (scripts/codegen/vendor-table.ts).
import { type AdapterFactory, type DefinitionView, vendorTable } from './generated/vendors.js';

export { vendorIds, type VendorId, type DefinitionView };

export const definitionOf = (vendor: VendorId): DefinitionView => vendorTable[vendor].definition;
export const adapterFactory = (vendor: VendorId): AdapterFactory => vendorTable[vendor].adapter;

export function isVendor(name: string): name is VendorId {
  return (vendorIds as readonly string[]).includes(name);
}

/** The vendor's credential options (`apiKey`, `secretKey`…), as its generated definition names them. */
export const credentialNames = (vendor: VendorId): string[] => Object.keys(definitionOf(vendor).credentials);

/** Credentials a send cannot go without (Dreams' OAuth2 pair is optional). */
export const requiredCredentials = (vendor: VendorId): string[] =>
  Object.entries(definitionOf(vendor).credentials)
    .filter(([, c]) => !c.optional)
    .map(([name]) => name);

/** A vendor whose server is a template (`http://{server}:{port}`) has no default: `baseUrl` is required. */
export const needsBaseUrl = (vendor: VendorId): boolean => definitionOf(vendor).servers.every((s) => s.includes('{'));

/**
 * The settings besides credentials, the same for every vendor: where to send (a mock), the
 * default sender, and DiniSoft's account name for its balance page.
 */
export const settingNames = (vendor: VendorId): string[] => [
  'baseUrl',
  'from',
  ...(vendor === 'dinisoft' ? ['account'] : []),
];

/** `apiKey` → `API_KEY`. */
export const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
/** `apiKey` → `api-key`. */
export const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
/** `SMSWIRE_DINISOFT_API_KEY`. */
export const envName = (vendor: VendorId, option: string) => `SMSWIRE_${vendor.toUpperCase()}_${snake(option)}`;
