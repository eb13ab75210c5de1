import { describe, expect, it } from 'vitest';
import { listVendors, loadSpec, type Spec } from '../../../scripts/lib/vendors.js';
import { codesOf, operationsOf } from '../../../test/support/clients.js';
import { quotingReplies, successReply } from '../../../test/support/replies.js';
import { SendError } from '../src/errors.js';
import { createSms } from '../src/index.js';
import { adapterOf, meaningOf } from './vendor-adapters.js';

/**
 * The sweep of code meanings, driven by specs/*.yaml: every error code of every operation means
 * for `@smswire/sms` exactly what its catalog entry says (`reason`; `mayExist` → `unknown`), and a
 * code the catalog does not list never moves a message to another vendor.
 */
const vendors = listVendors();

const sendOperations = (spec: Spec) => operationsOf(spec).filter(({ op }) => op['x-smswire-kind'] === 'send');

/** Undocumented codes: SMPP-style numbers (Unified L116), Dreams' `Error`, prototype keys. */
function undocumented(codes: Spec): string[] {
  const numbers = ['88', '1024', '4242', '-999'].filter((code) => !Object.hasOwn(codes, code));
  return [...numbers, 'Error', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
}

describe.each(vendors)('$id: every catalog code means what its spec entry says', (vendor) => {
  const spec = loadSpec(vendor);

  it('for every error code of every operation, the send operations among them', async () => {
    const adapter = await adapterOf(vendor);
    const checked: string[] = [];
    for (const { op } of operationsOf(spec)) {
      for (const [code, entry] of Object.entries<Spec>(codesOf(spec, op))) {
        if (entry.outcome !== 'error') continue;
        const label = `${op.operationId} ${code}`;
        expect(entry.reason, `${label} has a reason in the spec`).toBeTypeOf('string');
        expect(meaningOf(adapter, op.operationId, code, entry), label).toEqual({
          outcome: entry.mayExist === true ? 'unknown' : 'notAccepted',
          reason: entry.reason,
        });
        if (op['x-smswire-kind'] === 'send') checked.push(label);
      }
    }
    expect(checked.length).toBeGreaterThan(0);
  });

  it('a code the catalog does not list is unknown (no failover), for every send operation', async () => {
    const adapter = await adapterOf(vendor);
    for (const { op } of sendOperations(spec))
      for (const code of undocumented(codesOf(spec, op)))
        expect(meaningOf(adapter, op.operationId, code), `${op.operationId} ${code}`).toEqual({
          outcome: 'unknown',
          reason: 'ambiguous',
        });
  });
});

/**
 * The same through `createSms` with two vendors, each on a fetch that counts what it receives:
 * the first answers its send operation with a code, the second accepts. Codes the catalog does
 * not list and codes after which the message may exist are sent once, to the first vendor only;
 * a refusal (the control) moves it to the second, once.
 */
describe.each(vendors)('$id first, another vendor second', (vendor) => {
  const spec = loadSpec(vendor);
  const backup = vendors.find((v) => v.id !== vendor.id && v.id !== 'smsleads')!;
  const backupSpec = loadSpec(backup);

  /** Each send operation's reply, by the path the request goes to (SMS Leads' `#command` dropped). */
  function replies(code: string): Map<string, string> {
    const byPath = new Map<string, string>();
    for (const { path, op } of sendOperations(spec)) {
      const key = path.split('#')[0]!;
      if (!byPath.has(key)) byPath.set(key, quotingReplies(spec, op, code, '972501234567')[0]!.body);
    }
    return byPath;
  }

  /** Both vendors, each on a fetch that keeps what it received (URL and body). */
  async function vendorsAnswering(code: string) {
    const wire = { first: [] as string[], second: [] as string[] };
    const bodies = replies(code);
    const first = await adapterOf(vendor, async (input, init) => {
      wire.first.push(`${String(input)} ${String(init?.body ?? '')}`);
      const body = bodies.get(new URL(String(input)).pathname.replace(/^\/+/, '/')) ?? [...bodies.values()][0]!;
      return new Response(body, {
        headers: { 'content-type': body.startsWith('{') ? 'application/json' : 'text/plain' },
      });
    });
    const backupOp = sendOperations(backupSpec)[0]!.op;
    const second = await adapterOf(backup, async (input, init) => {
      wire.second.push(`${String(input)} ${String(init?.body ?? '')}`);
      return new Response(successReply(backupSpec, backupOp).body, { headers: { 'content-type': 'application/json' } });
    });
    return { wire, sms: createSms({ vendors: [first, second] }) };
  }

  async function run(code: string) {
    const { wire, sms } = await vendorsAnswering(code);
    const result = await sms.send({ to: '+972501234567', text: 'hello' }).catch((error: unknown) => error);
    return { seen: { first: wire.first.length, second: wire.second.length }, result };
  }

  /** Two messages through `sendMany` (a native batch where the vendor has one): how often each number went out. */
  async function runMany(code: string) {
    const { wire, sms } = await vendorsAnswering(code);
    const numbers = ['501234567', '501234568'];
    const results = await sms.sendMany(numbers.map((n, i) => ({ to: `+972${n}`, text: `hello ${i}` })));
    const received = (requests: string[]) =>
      numbers.map((n) => requests.reduce((sum, request) => sum + request.split(n).length - 1, 0));
    return { results, first: received(wire.first), second: received(wire.second) };
  }

  // Codes after which the message may exist in every send operation that lists them (Dreams'
  // mid-list codes are so only for sendsms_multi, which a single send does not use).
  const catalogs = sendOperations(spec).map(({ op }) => codesOf(spec, op));
  const mayExist = [...new Set(catalogs.flatMap((codes) => Object.keys(codes)))].filter((code) =>
    catalogs.every((codes) => !Object.hasOwn(codes, code) || codes[code].mayExist === true),
  );
  const codes = [...undocumented(codesOf(spec, sendOperations(spec)[0]!.op)), ...mayExist];
  // `sendMany` goes through the vendor's batch operation where it has one (Dreams' sendsms_multi):
  // every code that may leave a message in some send operation, which the others do not list.
  const anyMayExist = catalogs.flatMap((codes) => Object.keys(codes).filter((code) => codes[code].mayExist === true));
  const manyCodes = [...new Set([...codes, ...anyMayExist])];

  it.each(codes)('code %s: the first vendor receives it once, the second never', async (code) => {
    const { seen, result } = await run(code);
    expect(result).toBeInstanceOf(SendError);
    expect((result as SendError).outcome).toBe('unknown');
    expect(seen).toEqual({ first: 1, second: 0 });
  });

  it.each(manyCodes)(
    'sendMany, code %s: each message reaches the first vendor at most once, the second never',
    async (code) => {
      const { results, first, second } = await runMany(code);
      expect(results.map((r) => r.status)).toEqual(['unknown', 'unknown']);
      expect(first.every((n) => n <= 1)).toBe(true);
      expect(first.some((n) => n === 1)).toBe(true);
      expect(second).toEqual([0, 0]);
    },
  );

  it('a refusal the catalog lists moves it to the second vendor, once (the control)', async () => {
    const op = sendOperations(spec)[0]!.op;
    const refusal = Object.entries<Spec>(codesOf(spec, op)).find(
      ([, entry]) => entry.outcome === 'error' && entry.mayExist !== true && entry.reason === 'auth',
    )![0];
    const { seen, result } = await run(refusal);
    expect(result).not.toBeInstanceOf(Error);
    expect(seen).toEqual({ first: 1, second: 1 });
  });
});
