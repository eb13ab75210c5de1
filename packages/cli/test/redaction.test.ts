import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Journal } from '../src/journal.js';
import { Output } from '../src/output.js';

/** An Output whose streams are read back as text. */
function output(json: boolean, secrets: string[]) {
  // Everything written, gathered as it is written: a stream's `read()` may hand back one chunk of
  // several (Node 26 does).
  const sink = () => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    return { stream, take: () => text };
  };
  const stdout = sink();
  const stderr = sink();
  const out = new Output(json, stdout.stream, stderr.stream);
  out.hide(secrets);
  return { out, stdout: stdout.take, stderr: stderr.take };
}

/** Credentials that are also text in the data: a key's prefix, a number's digits, a letter. */
const secrets = ['acme', '100', 'e'];
const row = {
  key: 'acme-order-1',
  row: 100,
  to: '+972501001001',
  status: 'rejected',
  reason: 'validation',
  message: 'duplicate key acme-order-1: not sent twice',
};

describe('the command’s output is data, redacted only where a vendor’s words go', () => {
  it('prints keys, numbers, IDs and field names as they are, with --json and without', () => {
    const json = output(true, secrets);
    json.out.emit('row', row, 'row 100 +972501001001: rejected (validation): duplicate key acme-order-1');
    expect(JSON.parse(json.stdout())).toEqual({ type: 'row', ...row });
    const text = output(false, secrets);
    text.out.emit('row', row, 'row 100 +972501001001: rejected (validation): duplicate key acme-order-1');
    expect(text.stdout()).toBe('row 100 +972501001001: rejected (validation): duplicate key acme-order-1\n');
  });

  it('redacts a failure’s message, in the record and in the text, in any spelling', () => {
    const message = 'unified bulksms: malformed entry "bad login acme%20x for user=e&password=%31%30%30" at row 100';
    for (const json of [true, false]) {
      const { out, stdout, stderr } = output(json, secrets);
      out.fail({ name: 'ParseError', message, vendor: 'unified' }, message);
      const safe =
        'unified bulksms: malformed entry "bad login [REDACTED]%20x for user=[REDACTED]&password=[REDACTED]" at row 100';
      if (json)
        expect(JSON.parse(stdout())).toEqual({ type: 'error', name: 'ParseError', message: safe, vendor: 'unified' });
      else expect(stderr()).toBe(`smswire: ${safe}\n`);
    }
  });

  it('redacts a status read’s vendor text, at the top of a record or inside it', () => {
    const { out, stdout } = output(true, ['p@ss w/rd+é!']);
    const status = {
      vendor: 'sms365',
      messageId: '100',
      state: 'unknown',
      vendorStatus: 'no such key p%40ss%20w%2frd%2b%c3%a9!',
    };
    out.emit('status', status, '');
    out.emit('reconcile', { key: 'acme-1', state: status }, '');
    const [first, second] = stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(first).toEqual({ type: 'status', ...status, vendorStatus: 'no such key [REDACTED]' });
    expect(second.state.vendorStatus).toBe('no such key [REDACTED]');
    expect(second.key).toBe('acme-1');
  });
});

describe('the journal', () => {
  it('writes keys and numbers as they are, and redacts only a message', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'smswire-redaction-')), 'j.jsonl');
    const { out } = output(false, secrets);
    const { journal } = await Journal.open(path, out.redact);
    journal.write({ key: 'acme-order-1', row: 100, to: '+972501001001', state: 'pending' });
    journal.write({ ...row, status: 'unknown', message: 'bad login acme, user=e' });
    await journal.sync();
    journal.close();
    expect(
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { key: 'acme-order-1', row: 100, to: '+972501001001', state: 'pending' },
      { ...row, status: 'unknown', message: 'bad login [REDACTED], user=[REDACTED]' },
    ]);
  });
});
