import { connect } from "node:net";

/**
 * Checks that a TCP connection to the target opens. Provider-agnostic and sends no request, so it
 * costs nothing and changes no server state. Resolves to an error message, or undefined when reachable.
 */
export function checkReachable(baseUrl: string, timeoutMs: number): Promise<string | undefined> {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ""), port });
    const done = (result: string | undefined) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(`no connection within ${timeoutMs} ms`));
    socket.once("connect", () => done(undefined));
    socket.once("error", (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}
