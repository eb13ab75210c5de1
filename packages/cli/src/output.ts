import { createRedactor, type Redactor } from '@smswire/core/internal';
import { errorLine } from './errors.js';

/**
 * Everything the command prints goes through here: one JSON object a line with `--json`, text
 * otherwise. Lines are built from data (keys, numbers, message IDs, counts), which is never
 * rewritten; the free text in them that may quote a vendor is redacted where it enters: an
 * error's message (`fail`, a bulk row's outcome, the journal) and a status read's vendor text.
 */
export class Output {
  /** The credentials in use, for free text only: it looks for every spelling of each. */
  readonly redact: Redactor = createRedactor([]);
  /** The command running (`send`), and the vendor it was told, for every error line's prefix. */
  where: { command?: string | undefined; vendor?: string | undefined; unset?: string[] } = {};

  /** Whoever reads stdout stopped (`smswire … | head -2`): nothing more is written there. */
  closed = false;
  private readonly onClose: (() => void)[] = [];

  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {
    // A write to a pipe whose reader has gone fails with EPIPE, as an 'error' event: unheard, it
    // would end the process with a stack trace. Heard, it ends the output; a reading command
    // ends quietly (exit 0) and `bulk` stops as on Ctrl-C (`whenClosed`).
    stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      if (this.closed) return;
      this.closed = true;
      for (const listener of this.onClose.splice(0)) listener();
    });
  }

  /** Calls `listener` once stdout's reader has gone; returns the function that removes it. */
  whenClosed(listener: () => void): () => void {
    if (this.closed) {
      listener();
      return () => undefined;
    }
    this.onClose.push(listener);
    return () => {
      const at = this.onClose.indexOf(listener);
      if (at >= 0) this.onClose.splice(at, 1);
    };
  }

  /** stdout, unless its reader has gone. */
  write(text: string): void {
    if (!this.closed) this.stdout.write(text);
  }

  /**
   * Resolves once stdout has room again (at once unless its buffer is full) or its reader has
   * gone. A pipe takes what its reader reads: a run that prints faster (a resumed campaign prints
   * a million earlier rows in seconds) waits here instead of holding every line in memory.
   */
  async drained(): Promise<void> {
    const stdout = this.stdout as NodeJS.WritableStream & { writableNeedDrain?: boolean };
    if (this.closed || !stdout.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        stdout.off('drain', done);
        stopWatching();
        resolve();
      };
      stdout.once('drain', done);
      const stopWatching = this.whenClosed(done);
    });
  }

  /**
   * Resolves once everything written to stdout so far is handed to the OS: true, or false if the
   * reader has gone (the write failed, EPIPE). What a command records as printed (inbox's cursor)
   * is recorded only then; a line still in Node's buffer when the reader leaves was never printed.
   */
  async flushed(): Promise<boolean> {
    if (this.closed) return false;
    const ok = await new Promise<boolean>((resolve) => this.stdout.write('', (error) => resolve(!error)));
    return ok && !this.closed;
  }

  hide(secrets: readonly string[]): void {
    for (const secret of secrets) this.redact.add(secret);
  }

  /**
   * A result: `record` with `--json` (its `type` first), `text` otherwise. A vendor's own words
   * in it (a status read's `vendorStatus`, at the top or one level down) are redacted, in the
   * record and where the text quotes them; the rest is data.
   */
  emit(type: string, record: Record<string, unknown>, text: string): void {
    ({ record, text } = this.redactField(record, text, 'vendorStatus'));
    this.write(`${this.json ? JSON.stringify({ type, ...record }) : text}\n`);
  }

  /**
   * A failure: on stderr as `smswire: <vendor> <command>: <text>`, or with `--json` as one
   * `{"type":"error",…}` line on stdout (with `command` and `vendor`), nothing on stderr. Its
   * `message` may quote anything (a vendor's reply, a path): it is redacted, in the record and
   * in the text. `vendor` is the one the failure is about, when it knows better than `where`.
   */
  fail(record: Record<string, unknown>, text: string, vendor = this.where.vendor): void {
    ({ record, text } = this.redactField(record, text, 'message'));
    const { command } = this.where;
    const line = errorLine(command, vendor, text);
    if (this.json)
      this.emit('error', { ...(command ? { command } : {}), ...(vendor ? { vendor } : {}), ...record }, line);
    else this.stderr.write(`${line}\n`);
  }

  private redactField(record: Record<string, unknown>, text: string, field: string) {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(record)) {
      if (name === field && typeof value === 'string') {
        const safe = this.redact(value);
        if (safe !== value) text = text.split(value).join(safe);
        out[name] = safe;
      } else if (value && typeof value === 'object' && !Array.isArray(value) && field in value) {
        ({ record: out[name], text } = this.redactField(value as Record<string, unknown>, text, field));
      } else out[name] = value;
    }
    return { record: out, text };
  }

  /**
   * Something sent that may not be what was meant (a number in no known mobile range): on stderr,
   * and with `--json` also a `{"type":"warning",…}` line on stdout, where scripts read.
   */
  warn(record: Record<string, unknown>, text: string): void {
    if (this.json) this.emit('warning', record, text);
    this.stderr.write(`${this.redact(`warning: ${text}`)}\n`);
  }

  /** A note for a person: stderr, never with `--json`. */
  note(text: string): void {
    if (!this.json) this.stderr.write(`${text}\n`);
  }
}
