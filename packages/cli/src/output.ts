import { createRedactor, type Redactor } from '@smswire/core/internal';

/**
 * Everything the command prints goes through here: one JSON object a line with `--json`, text
 * otherwise; and every line through a redactor of the credentials in use, so no path (an error
 * message, a dry-run request, a progress line) can print one.
 */
export class Output {
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
    this.stdout.write(`${this.redact(this.json ? JSON.stringify({ type, ...record }) : text)}\n`);
  }

  /** A failure, on stderr (and as a JSON `error` line on stdout with `--json`). */
  fail(record: Record<string, unknown>, text: string): void {
    if (this.json) this.emit('error', record, text);
    else this.stderr.write(`${this.redact(text)}\n`);
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
    if (!this.json) this.stderr.write(`${this.redact(text)}\n`);
  }
}
