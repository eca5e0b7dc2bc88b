// Preloaded into the bench's simulator process only: listens with a deep accept queue. Node's
// default backlog is 511; when 1,000 new connections a second arrive while the simulator's event
// loop is busy, the kernel drops SYNs past it ("SYNs to LISTEN sockets dropped" in netstat -s) and
// the client retries after 1 s, which the concurrency scenario then reports as 1 s dispatch delays
// that are the server's, not the client's. Serving stacks listen deeper (uvicorn: 2048); the kernel
// caps it at net.core.somaxconn.
import net from "node:net";

const BACKLOG = 4096;
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const [port, host, cb] = args;
  if (
    typeof port === "number" &&
    typeof host === "string" &&
    (cb === undefined || typeof cb === "function")
  ) {
    return listen.call(this, { port, host, backlog: BACKLOG }, cb);
  }
  return listen.apply(this, args);
};
