import { definition as dinisoftDefinition } from '@smswire/dinisoft';
import { definition as dreamsDefinition } from '@smswire/dreams';
import type { Adapter } from '@smswire/sms';
import { dinisoft } from '@smswire/sms/dinisoft';
import { dreams } from '@smswire/sms/dreams';
import { sms365 } from '@smswire/sms/sms365';
import { smsleads } from '@smswire/sms/smsleads';
import { unified } from '@smswire/sms/unified';
import { vendorIds, type VendorId } from '@smswire/sms';
import { definition as sms365Definition } from '@smswire/sms365';
import { definition as smsleadsDefinition } from '@smswire/smsleads';
import { definition as unifiedDefinition } from '@smswire/unified';

export { vendorIds, type VendorId };

/** What the command needs of a generated definition: its credentials, servers and operations. */
export interface DefinitionView {
  credentials: Readonly<Record<string, { in: string; name: string; optional?: boolean }>>;
  servers: readonly string[];
  operations: Readonly<Record<string, { path: string; xml?: { root: string } | undefined }>>;
}

// biome-ignore lint/suspicious/noExplicitAny: each adapter takes its own vendor's options, checked by its client
type AdapterFactory = (options: any) => Adapter;

const table: Record<VendorId, { definition: DefinitionView; adapter: AdapterFactory }> = {
  dinisoft: { definition: dinisoftDefinition, adapter: dinisoft },
  dreams: { definition: dreamsDefinition, adapter: dreams },
  sms365: { definition: sms365Definition, adapter: sms365 },
  smsleads: { definition: smsleadsDefinition, adapter: smsleads },
  unified: { definition: unifiedDefinition, adapter: unified },
};

export const definitionOf = (vendor: VendorId): DefinitionView => table[vendor].definition;
export const adapterFactory = (vendor: VendorId): AdapterFactory => table[vendor].adapter;

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
