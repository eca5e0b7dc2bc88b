export interface NdjsonLimits {
  /** Longest line accepted, in characters; a longer one is a hostile or broken stream. */
  maxLineChars: number;
}

export const DEFAULT_NDJSON_LIMITS: NdjsonLimits = { maxLineChars: 1 << 20 };

export class NdjsonLimitError extends Error {}

/**
 * Incremental newline-delimited JSON line splitter (Ollama's native API streams this). Feed it bytes as
 * they arrive; it calls `onLine` with each complete non-blank line, without its LF or CRLF ending.
 * Handles splits anywhere (inside a UTF-8 character or a CRLF pair too) and a last line with no
 * trailing newline (flushed by `end`). It does not parse JSON: that is the caller's business.
 * Memory is bounded by the limit: it throws NdjsonLimitError rather than buffer an endless line.
 */
export class NdjsonParser {
  private readonly decoder = new TextDecoder("utf-8");
  private pending = "";

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly limits: NdjsonLimits = DEFAULT_NDJSON_LIMITS,
  ) {}

  push(bytes: Uint8Array): void {
    this.feed(this.decoder.decode(bytes, { stream: true }));
  }

  /** Flushes a final line that had no terminating newline. */
  end(): void {
    this.feed(this.decoder.decode());
    const last = this.pending;
    this.pending = "";
    this.line(last);
  }

  private feed(text: string): void {
    if (text.length === 0) return;
    let start = 0;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", start)) {
      const piece = text.slice(start, i);
      const line = this.pending.length > 0 ? this.pending + piece : piece;
      this.pending = "";
      start = i + 1;
      this.line(line);
    }
    if (start < text.length) {
      this.pending += text.slice(start);
      // The pending part may still end in the CR of a CRLF pair, which is not part of the line.
      const chars = this.pending.length - (this.pending.endsWith("\r") ? 1 : 0);
      if (chars > this.limits.maxLineChars) {
        throw new NdjsonLimitError(`NDJSON line longer than ${this.limits.maxLineChars} characters`);
      }
    }
  }

  private line(raw: string): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.length > this.limits.maxLineChars) {
      throw new NdjsonLimitError(`NDJSON line longer than ${this.limits.maxLineChars} characters`);
    }
    if (isBlank(line)) return;
    this.onLine(line);
  }
}

/** Only JSON whitespace (space, tab, CR): nothing a JSON parser would accept, so not a record. */
function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
