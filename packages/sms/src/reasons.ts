import type { Outcome, Reason } from './errors.js';
import type { VendorId } from './vendors.js';

/** A code's reason; `unknown` where the code does not say whether the message went out. */
export interface CodeMeaning {
  reason: Reason;
  outcome: Outcome;
}

type Table = Readonly<Record<string, Reason | readonly [Reason, 'unknown']>>;

interface VendorReasons {
  /** Every error code of the vendor's catalog, in the meaning its send operations give it. */
  codes: Table;
  /** Where an operation gives a code another meaning (Dreams' `-113` is a duplicate sender name for `newsender`). */
  operations?: Readonly<Record<string, Table>>;
}

/**
 * Each vendor's error codes, from its catalog (specs/<vendor>.yaml `x-smswire-codes`), as one
 * reason. Codes that refuse the message are `notAccepted`; `unknown` marks the ones after which
 * the message may exist anyway (Unified 1715 "Do not resubmit", 1041 "Duplicate message").
 * test/reasons.test.ts checks that every code of every catalog is here.
 */
export const reasonTables: Readonly<Record<VendorId, VendorReasons>> = {
  dinisoft: {
    codes: {
      '-42': 'auth',
      '1': 'ambiguous',
      '101': 'vendorDown',
      '108': 'auth',
      '109': 'auth',
      '114': 'content',
      '5400': 'auth',
    },
    // getStatus 114: "Message ID not provided, not valid, or already queried".
    operations: { getStatus: { '114': 'validation' } },
  },
  unified: {
    codes: {
      '8': 'vendorDown',
      '16': 'auth',
      '18': 'auth',
      '69': 'vendorDown',
      '1028': 'content',
      '1033': 'content',
      // "Duplicate message": an identical message went out before; sending it elsewhere would repeat it.
      '1041': ['ambiguous', 'unknown'],
      '1042': 'number',
      '1702': 'validation',
      '1703': 'auth',
      '1704': 'validation',
      '1705': 'content',
      '1706': 'number',
      '1707': 'validation',
      '1708': 'validation',
      '1709': 'vendorDown',
      '1710': 'vendorDown',
      // unified.txt: "Response timeout … Do not resubmit the same message".
      '1715': ['ambiguous', 'unknown'],
      '1725': 'balance',
      '1732': 'number',
    },
  },
  sms365: {
    codes: {
      '101': 'auth',
      '102': 'number',
      '103': 'number',
      '104': 'content',
      '105': 'balance',
      '106': 'vendorDown',
      '107': 'validation',
      '108': 'validation',
      '109': 'validation',
      '110': 'validation',
      '111': 'validation',
      '201': 'number',
      '202': 'validation',
      '203': 'number',
      '204': 'vendorDown',
      '205': 'number',
      '206': 'validation',
      '207': 'validation',
      '208': 'validation',
      '209': 'validation',
      '210': 'balance',
      '211': 'balance',
      '212': 'validation',
      '213': 'validation',
      '214': 'validation',
      '215': 'validation',
      '216': 'validation',
      '217': 'validation',
      '220': 'validation',
      '221': 'vendorDown',
      '300': 'validation',
      '301': 'validation',
      '302': 'validation',
      '501': 'number',
      '503': 'auth',
      '504': 'auth',
      '505': 'content',
      '506': 'content',
      '507': 'validation',
      '508': 'validation',
      '509': 'validation',
      '510': 'validation',
      '511': 'content',
      '512': 'content',
      '513': 'validation',
      '514': 'validation',
      '515': 'validation',
      '516': 'validation',
      '517': 'balance',
      '518': 'ambiguous',
      '601': 'validation',
      '602': 'validation',
    },
  },
  dreams: {
    // The meanings of sendsms and sendsms_multi; account operations reuse numbers for other things.
    codes: {
      '-124': 'auth',
      '-123': 'throttled',
      '-122': 'number',
      '-121': 'validation',
      '-120': 'validation',
      '-119': 'validation',
      '-118': 'ambiguous',
      '-117': 'number',
      '-116': 'validation',
      '-115': 'validation',
      '-114': 'vendorDown',
      '-113': 'balance',
      '-112': 'auth',
      '-111': 'auth',
      '-110': 'auth',
      '-100': 'validation',
      invalid_request: 'validation',
      invalid_client: 'auth',
      invalid_grant: 'auth',
      unauthorized_client: 'auth',
      unsupported_grant_type: 'validation',
      invalid_token: 'auth',
    },
    operations: {
      register: { '-110': 'validation', '-111': 'validation', '-112': 'validation' },
      activate: { '-111': 'validation' },
      newsender: { '-113': 'validation', '-114': 'validation' },
      usersender: { '-117': 'validation' },
      // One code answers a whole sendsms_multi (dreams.txt L238–252), which never says whether the
      // pairs before the trouble went out. Codes about the request or the account (credentials,
      // sender, missing parameters) stop it before any pair; a balance, number or daily limit may
      // be reached mid-list, and -118 explains nothing: those are unknown and never sent again.
      sendsmsMulti: {
        '-113': ['balance', 'unknown'],
        '-117': ['number', 'unknown'],
        '-118': ['ambiguous', 'unknown'],
        '-122': ['number', 'unknown'],
        '-123': ['throttled', 'unknown'],
      },
    },
  },
  smsleads: {
    codes: {
      '1': 'validation',
      '2': 'validation',
      '3': 'auth',
      '4': 'balance',
      '5': 'auth',
      '6': 'vendorDown',
      '7': 'validation',
      '8': 'number',
      '9': 'validation',
      '10': 'auth',
      '11': 'auth',
      '502': 'validation',
      '503': 'auth',
      '504': 'auth',
      '510': 'validation',
      '511': 'auth',
      '933': 'validation',
      '944': 'validation',
      '955': 'validation',
      '966': 'validation',
      '977': 'validation',
      '986': 'validation',
      '988': 'validation',
      '989': 'content',
      '990': 'balance',
      '991': 'validation',
      '992': 'validation',
      '993': 'validation',
      '994': 'validation',
      '995': 'validation',
      '996': 'validation',
      '997': 'validation',
      '998': 'ambiguous',
      '999': 'ambiguous',
    },
  },
};

/** The meaning of a code, or `undefined` when no table has it (a code the vendor never documented). */
export function lookupCode(vendor: VendorId, operation: string, code: string): CodeMeaning | undefined {
  const table = reasonTables[vendor];
  const entry = table.operations?.[operation]?.[code] ?? table.codes[code];
  if (entry === undefined) return undefined;
  return typeof entry === 'string'
    ? { reason: entry, outcome: 'notAccepted' }
    : { reason: entry[0], outcome: entry[1] };
}
