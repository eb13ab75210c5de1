import { createRedactor, type Redactor } from '@smswire/core/internal';

/**
 * Everything the command prints goes through here: one JSON object a line with `--json`, text
 * otherwise. Lines are built from data (keys, numbers, message IDs, counts), which is never
 * rewritten; the free text in them that may quote a vendor (an error's message) is redacted
 * where it enters: `redact` here, and in a failure's `message` by `fail`.
 */
export class Output {
  /** The credentials in use, for free text only: it looks for every spelling of each. */
  readonly redact: Redactor = createRedactor([]);

  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  hide(secrets: readonly string[]): void {
    for (const secret of secrets) this.redact.add(secret);
  }

  /** A result: `record` with `--json` (its `type` first), `text` otherwise. */
  emit(type: string, record: Record<string, unknown>, text: string): void {
    this.stdout.write(`${this.json ? JSON.stringify({ type, ...record }) : text}\n`);
  }

  /**
   * A failure, on stderr (and as a JSON `error` line on stdout with `--json`). Its `message` may
   * quote anything (a vendor's reply, a path): it is redacted, in the record and where the text
   * quotes it.
   */
  fail(record: Record<string, unknown>, text: string): void {
    const { message } = record;
    if (typeof message === 'string') {
      const safe = this.redact(message);
      record = { ...record, message: safe };
      text = text.split(message).join(safe);
    }
    if (this.json) this.emit('error', record, text);
    else this.stderr.write(`${text}\n`);
  }

  /** A note for a person: stderr, never with `--json`. */
  note(text: string): void {
    if (!this.json) this.stderr.write(`${text}\n`);
  }
}
