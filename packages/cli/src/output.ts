import { createRedactor, type Redactor } from '@smswire/core/internal';

/**
 * Everything the command prints goes through here: one JSON object a line with `--json`, text
 * otherwise. Lines are built from data (keys, numbers, message IDs, counts), which is never
 * rewritten; the free text in them that may quote a vendor is redacted where it enters: an
 * error's message (`fail`, a bulk row's outcome, the journal) and a status read's vendor text.
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

  /**
   * A result: `record` with `--json` (its `type` first), `text` otherwise. A vendor's own words
   * in it (a status read's `vendorStatus`, at the top or one level down) are redacted, in the
   * record and where the text quotes them; the rest is data.
   */
  emit(type: string, record: Record<string, unknown>, text: string): void {
    ({ record, text } = this.redactField(record, text, 'vendorStatus'));
    this.stdout.write(`${this.json ? JSON.stringify({ type, ...record }) : text}\n`);
  }

  /**
   * A failure, on stderr (and as a JSON `error` line on stdout with `--json`). Its `message` may
   * quote anything (a vendor's reply, a path): it is redacted, in the record and in the text.
   */
  fail(record: Record<string, unknown>, text: string): void {
    ({ record, text } = this.redactField(record, text, 'message'));
    if (this.json) this.emit('error', record, text);
    else this.stderr.write(`${text}\n`);
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
