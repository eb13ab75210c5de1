import { inspect } from 'node:util';
import { loadSpec, type Spec, type Vendor } from '../lib/vendors.js';
import { exampleParams } from '../lib/example-params.js';
import { adapterFacts, type AdapterFacts, type NeutralCall, sampleText } from './adapter-uses.js';
import { formatAll } from '../codegen/format.js';
import { literal, quote } from '../codegen/literal.js';
import {
  type DocumentedReply,
  documentedReplies,
  loadVendorModule,
  type Outcome,
  pick,
  respond,
  sampleBase,
  settle,
  type VendorModule,
} from './sample-runs.js';

/**
 * Redoc's `x-codeSamples` for every operation of a vendor, written by `pnpm docs` into the spec it
 * renders, never by hand: the vendor package's call with the operation's example arguments and
 * exactly the credentials it needs, its decoded result for the first documented reply, and how
 * its errors arrive; for the operations `@smswire/sms` makes, that call and the `smswire` command
 * too. test/code-samples.e2e.test.ts type-checks every TypeScript sample.
 */
export interface CodeSample {
  lang: 'TypeScript' | 'bash';
  /** Redoc matches a sample to a tab of redocly.yaml's `codeSamples.languages` by this label. */
  label: (typeof sampleLabels)[number];
  source: string;
}

/** The tabs, in redocly.yaml's order: the vendor package, `@smswire/sms`, the command. */
export const sampleLabels = ['TypeScript', '@smswire/sms', 'smswire CLI'] as const;

export interface VendorSamples {
  /** By operationId, in spec order. */
  samples: Map<string, CodeSample[]>;
  /** What the vendor-neutral layer does with the vendor, for the landing page; none without an adapter. */
  facts: AdapterFacts | undefined;
}

interface SpecOperation {
  path: string;
  op: Spec;
}

export async function codeSamples(vendor: Vendor): Promise<VendorSamples> {
  const spec = loadSpec(vendor);
  const mod = await loadVendorModule(vendor);
  const operations: SpecOperation[] = Object.entries<Spec>(spec.paths).flatMap(([path, item]) =>
    (['get', 'post'] as const).filter((m) => item[m]).map((m) => ({ path, op: item[m] as Spec })),
  );

  // The documented replies each operation decodes as a success, for the calls of `@smswire/sms`.
  const successes = new Map<string, DocumentedReply[]>();
  const firsts = new Map<string, Outcome>();
  for (const { path, op } of operations) {
    const id: string = op.operationId;
    const params = exampleParams(spec, path);
    const replies = documentedReplies(spec, op);
    const ok: DocumentedReply[] = [];
    for (const reply of replies) {
      if ((await call(mod, id, params, () => reply)).ok) ok.push(reply);
    }
    successes.set(id, ok);
    firsts.set(id, await call(mod, id, params, (init) => pick(replies, init)));
  }
  const facts = await adapterFacts(vendor, spec, mod, (id, init) => {
    const ok = successes.get(id) ?? [];
    if (ok.length === 0) throw new Error(`${vendor.id} ${id}: no documented reply decodes as a success`);
    return pick(ok, init);
  });

  const sources = new Map<string, string>();
  for (const { path, op } of operations) {
    const id: string = op.operationId;
    sources.set(`${id}.vendor.ts`, vendorSample(vendor, mod, id, exampleParams(spec, path), firsts.get(id)!));
    const neutral = facts?.calls.get(id);
    if (neutral) sources.set(`${id}.sms.ts`, neutralSample(vendor, neutral));
  }
  const formatted = formatAll(sources, { lineWidth: 72 });

  const samples = new Map<string, CodeSample[]>();
  for (const { op } of operations) {
    const id: string = op.operationId;
    const list: CodeSample[] = [{ lang: 'TypeScript', label: 'TypeScript', source: formatted.get(`${id}.vendor.ts`)! }];
    const neutral = facts?.calls.get(id);
    if (neutral) {
      list.push({ lang: 'TypeScript', label: '@smswire/sms', source: formatted.get(`${id}.sms.ts`)! });
      list.push({ lang: 'bash', label: 'smswire CLI', source: commandSample(vendor, neutral) });
    }
    samples.set(id, list);
  }
  return { samples, facts };
}

/** One operation of the vendor package, against a `fetch` that answers as `answer` says. */
function call(
  mod: VendorModule,
  id: string,
  params: Record<string, unknown>,
  answer: (init: RequestInit | undefined) => DocumentedReply,
): Promise<Outcome> {
  const client = mod.createClient({
    ...Object.fromEntries(needed(mod, id, params).map((option) => [option, 'not-a-secret'])),
    baseUrl: sampleBase,
    maxRetries: 0,
    fetch: async (_input: unknown, init?: RequestInit) => respond(answer(init)),
  });
  return settle(client[id]!(params));
}

/** The credential options an operation sends for these arguments (sms365's `key/get` needs no key with a login). */
function needed(mod: VendorModule, id: string, params: Record<string, unknown>): string[] {
  const op = mod.definition.operations[id]!;
  return op.security.filter(
    (option) => !(op.credentialUnless?.[option] ?? []).some((field) => params[field] !== undefined),
  );
}

/** `SMSWIRE_<VENDOR>_<OPTION>`, the command's environment variables (DESIGN "The command"). */
export function envName(vendor: Vendor, option: string): string {
  return `SMSWIRE_${vendor.id.toUpperCase()}_${option.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

const optionsLiteral = (vendor: Vendor, options: string[], extra: string[] = []) =>
  `{ ${[...options.map((o) => `${o}: process.env.${envName(vendor, o)}!`), ...extra].join(', ')} }`;

/** A result as the comment under the call shows it. */
function shown(outcome: Outcome): string {
  const text = outcome.ok
    ? inspect(outcome.value, { depth: null, breakLength: 70, sorted: false })
    : `throws ${String(outcome.error)}`;
  return text
    .split('\n')
    .map((line, i) => `// ${i === 0 ? '→ ' : '  '}${line}`)
    .join('\n');
}

function vendorSample(
  vendor: Vendor,
  mod: VendorModule,
  id: string,
  params: Record<string, unknown>,
  first: Outcome,
): string {
  const op = mod.definition.operations[id]!;
  const template = mod.definition.servers.length === 1 && mod.definition.servers[0]!.includes('{');
  const options = [...needed(mod, id, params), ...(template ? ['baseUrl'] : [])];
  const args = Object.keys(params).length ? literal(params) : '';
  const unsent =
    op.kind === 'write'
      ? '  // A timeout or a lost connection after the request went out (TimeoutError,\n  // TransportError): it may have been sent, and the client never sends it again.\n'
      : '  // Timeouts, lost connections and 5xx were retried first (reads only).\n';
  return `import { createClient, ValidationError, VendorError } from '${vendor.packageName}';

const client = createClient(${optionsLiteral(vendor, options)});

try {
  const reply = await client.${id}(${args});
  console.log(reply);
  ${shown(first).replace(/\n/g, '\n  ')}
} catch (error) {
  // Bad arguments or a missing credential: nothing was sent.
  if (error instanceof ValidationError) console.error(error.issues);
  // The vendor's refusal: its code and the catalog's meaning (errorCatalog.${id}).
  else if (error instanceof VendorError) console.error(error.code, error.description);
${unsent}  else throw error;
}
`;
}

function neutralSample(vendor: Vendor, neutral: NeutralCall): string {
  const sender = neutral.use === 'send' || neutral.use === 'schedule' || neutral.use === 'batch';
  const adapter = `${vendor.id}(${optionsLiteral(vendor, neutral.options, sender ? ["from: 'ACME'"] : [])})`;
  const head = `import { createSms, SendError, ValidationError, VendorError } from '@smswire/sms';
import { ${vendor.id} } from '@smswire/sms/${vendor.id}';

const sms = createSms({ vendors: [${adapter}] });
`;
  const result = shown(neutral.outcome).replace(/\n/g, '\n  ');
  const refused = `  // Bad input (the number, blank text, too many parts): nothing was sent.
  if (error instanceof ValidationError) console.error(error.issues);`;
  switch (neutral.use) {
    case 'send':
    case 'schedule': {
      const at = neutral.use === 'schedule' ? `, at: new Date('${neutral.at.toISOString()}')` : '';
      return `${head}
try {
  const sent = await sms.send({ to: ${quote(neutral.to)}, text: ${quote(sampleText)}${at}, idempotencyKey: 'order-42' });
  console.log(sent);
  ${result}
} catch (error) {
${refused}
  // 'notAccepted': certainly not sent. 'unknown': it may have been sent; never resend it blindly.
  else if (error instanceof SendError) console.error(error.outcome, error.reason);
  else throw error;
}
`;
    }
    case 'batch':
      return `${head}
const results = await sms.sendMany([
  { to: ${quote(neutral.to)}, text: 'Our shop opens at 9 tomorrow', idempotencyKey: 'opening-c1' },
  { to: ${quote(neutral.second)}, text: 'Our shop opens at 9 tomorrow', idempotencyKey: 'opening-c2' },
]);
for (const result of results) {
  if (result.status === 'accepted') console.log(result.id, result.messageId);
  // 'rejected': certainly not sent. 'unknown': it may have been sent; never resend it blindly.
  else console.error(result.id, result.status, result.reason);
}
${shown(neutral.outcome)}
`;
    case 'status':
    case 'balance': {
      const line =
        neutral.use === 'status'
          ? `const state = await sms.status(${quote(neutral.messageId)}, { vendor: '${vendor.id}' });\n  console.log(state);`
          : `const balances = await sms.balance({ vendor: '${vendor.id}' });\n  console.log(balances);`;
      return `${head}
try {
  ${line}
  ${result}
} catch (error) {
${refused}
  // The vendor's refusal, as the vendor package reports it.
  else if (error instanceof VendorError) console.error(error.code, error.description);
  else throw error;
}
`;
    }
  }
}

/** Shell words, quoted where the shell would split or expand them. */
const word = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

function commandSample(vendor: Vendor, neutral: NeutralCall): string {
  const env = neutral.options.map((option) => `export ${envName(vendor, option)}=${word(`<your ${option}>`)}`);
  const lines = (() => {
    switch (neutral.use) {
      case 'send':
      case 'schedule':
        return [
          `smswire send --vendor ${vendor.id} --from ACME --to ${word(neutral.to)} --text ${word(sampleText)}${neutral.use === 'schedule' ? ` --at ${neutral.at.toISOString()}` : ''}`,
          '# exit code 0 accepted; 2 bad input, nothing sent; 3 refused by the vendor;',
          '# 4 outcome unknown: it may have been sent, do not resend blindly',
        ];
      case 'status':
        return [`smswire status ${word(neutral.messageId)} --vendor ${vendor.id}`];
      case 'balance':
        return [`smswire balance --vendor ${vendor.id}`];
      case 'batch':
        return [
          `printf 'to,text\\n${neutral.to},Our shop opens at 9 tomorrow\\n${neutral.second},Our shop opens at 9 tomorrow\\n' > campaign.csv`,
          `smswire bulk campaign.csv --vendor ${vendor.id} --from ACME --journal campaign.journal`,
          '# run it again after a crash: only rows without an outcome are sent',
        ];
    }
  })();
  return `${[...env, ...lines].join('\n')}\n`;
}
