import type { FailureKind } from "../record/failure.js";

/** Thrown by a wire-format decoder when what the server sent breaks its protocol. */
export class ProtocolError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
    this.name = "ProtocolError";
  }
}
