/**
 * Reads a file a user handed us (a suite, a dataset) as UTF-8 text, refusing what would hang, exhaust
 * memory or be silently misread: anything but a regular file (a FIFO blocks the read for ever, a
 * device never ends), a file over a size cap, UTF-16/UTF-32, NUL bytes and bytes that are not UTF-8
 * (decoding them would turn Latin-1 text into U+FFFD without a word). Every refusal is a ConfigError
 * naming the file, with the line and column of the first bad byte where there is one.
 */
import { isUtf8 } from "node:buffer";
import { open, stat } from "node:fs/promises";
import { ConfigError } from "../errors.js";

/** What the file is, in the user's words ("suite", "dataset"), and the most bytes it may have. */
export interface InputFileOptions {
  what: string;
  maxBytes: number;
}

const MIB = 1024 * 1024;

/** A size in the unit a user reads: 50 MiB, 12 KiB, 300 bytes. */
export function formatBytes(n: number): string {
  if (n >= MIB) return `${Number((n / MIB).toFixed(1))} MiB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KiB`;
  return `${n} bytes`;
}

function kindOf(s: Awaited<ReturnType<typeof stat>>): string {
  if (s.isDirectory()) return "a folder";
  if (s.isFIFO()) return "a FIFO (named pipe)";
  if (s.isCharacterDevice()) return "a character device";
  if (s.isBlockDevice()) return "a block device";
  if (s.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * The file's bytes, checked to be UTF-8 text no larger than `maxBytes`. A UTF-8 byte-order mark is
 * left in place (line numbers count from the file's own first byte). Throws ConfigError.
 */
export async function readInputFile(file: string, options: InputFileOptions): Promise<Buffer> {
  const fail = (message: string, at?: { line: number; column: number }): never => {
    throw new ConfigError([{ file, ...at, message }]);
  };
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    // stat, not open: opening a FIFO for reading blocks until a writer appears.
    info = await stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(
      code === "ENOENT" ? `${options.what} file not found` : `cannot read ${options.what} (${code})`,
    );
  }
  if (!info.isFile()) return fail(`cannot read ${options.what}: ${kindOf(info)}, not a regular file`);
  const tooBig = () =>
    fail(
      `the ${options.what} file is over ${formatBytes(options.maxBytes)} (the most Gauntlet reads); split it or trim it`,
    );
  if (info.size > options.maxBytes) return tooBig();

  let bytes: Buffer;
  try {
    bytes = await readAtMost(file, options.maxBytes + 1, info.size);
  } catch (err) {
    return fail(`cannot read ${options.what} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  // The size is checked again on what was read: a file that grew after the stat is still bounded.
  if (bytes.length > options.maxBytes) return tooBig();
  const problem = encodingProblem(bytes);
  if (problem)
    fail(`${problem.message}: save the ${options.what} as UTF-8`, positionOf(bytes, problem.offset));
  return bytes;
}

/**
 * Up to `limit` bytes of a file, read into one buffer sized from the stat (one byte more, to see the
 * end); a file whose stat understates it (size 0 in /proc) grows the buffer as it reads.
 */
async function readAtMost(file: string, limit: number, sizeHint: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    let buffer = Buffer.allocUnsafe(Math.min(limit, sizeHint + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length >= limit) break;
        const grown = Buffer.allocUnsafe(Math.min(limit, buffer.length * 2 + 64 * 1024));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/** Reads a file as readInputFile does and decodes it (a UTF-8 byte-order mark is dropped). */
export async function readInputText(file: string, options: InputFileOptions): Promise<string> {
  return new TextDecoder("utf-8").decode(await readInputFile(file, options));
}

/** Why the bytes are not UTF-8 text, and where; undefined when they are. */
export function encodingProblem(bytes: Uint8Array): { offset: number; message: string } | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { offset: 0, message: "the file is UTF-16 or UTF-32 (little-endian byte-order mark)" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { offset: 0, message: "the file is UTF-16 (big-endian byte-order mark)" };
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff)
    return { offset: 0, message: "the file is UTF-32 (big-endian byte-order mark)" };
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    return {
      offset: nul,
      message: "the file has NUL bytes (UTF-16 without a byte-order mark, or not text at all)",
    };
  if (isUtf8(bytes)) return undefined;
  const offset = firstInvalidUtf8(bytes);
  const byte = bytes[offset] ?? 0;
  return {
    offset,
    message: `byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} is not UTF-8 (Latin-1 or Windows-1252 text?)`,
  };
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    if (length > 1 && !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return bytes.length;
}

/** The 1-based line and column (in bytes) of an offset. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
