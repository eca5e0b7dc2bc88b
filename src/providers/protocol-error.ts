import type { FailureKind } from "../record/failure.js";

/**
 * Thrown by a wire-format decoder when what the server sent breaks its protocol. `snippet` is the
 * server's own text the message shows, uncut: the client redacts it before cutting it to a few
 * dozen characters, so a cut never leaves part of a secret behind.
 */
export class ProtocolError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly snippet?: string,
  ) {
    super(message);
    this.name = "ProtocolError";
  }
}
