// The replay floor: what this box allows a client in Node at all. Each row's whole HTTP/1.1 request
// is built as bytes before the clock starts and written on a plain keep-alive socket at the row's
// time, with the same waits as Gauntlet's executor (a timer, then loop turns for the last
// millisecond). No HTTP client: it knows only the simulator's answers (a status line, then a chunked
// body it skims for its last chunk), so its per-request cost is a socket write and a few reads.
// Not a client anyone could ship; it says how far below undici the bench box's kernel and event
// loop go, so the dispatch-delay target can be read against it.
//   node bench/floor-replay.mjs '{"url":"http://127.0.0.1:PORT/v1","trace":"trace.jsonl","connections":256,"out":"floor.ndjson"}'
// Prints one JSON summary line; writes one line per request sent ({ startUs, sentUs, ok }) to `out`.
import { Buffer } from "node:buffer";
import { writeFileSync } from "node:fs";
import net from "node:net";
import { URL } from "node:url";
import { chatPath, now, readTrace, sleepUntil, syntheticBodies } from "./replay-trace.mjs";

const cfg = JSON.parse(process.argv[2]);
const url = new URL(cfg.url);
const port = Number(url.port);
const rows = readTrace(cfg.trace);
const path = chatPath(url);
const bodyOf = syntheticBodies(rows);
const requests = rows.map((_row, i) => {
  const body = Buffer.from(bodyOf(i));
  const head = `POST ${path} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), body]);
});

/** A chunked body ends with a zero-size chunk; its bytes may arrive split over two reads. */
const LAST_CHUNK = Buffer.from("0\r\n\r\n");
const idle = [];
const records = [];

/** A keep-alive socket that answers one request at a time; resolves once connected. */
function open() {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: url.hostname, noDelay: true });
    let tail = Buffer.alloc(0);
    let headSeen = false;
    socket.on("data", (data) => {
      const record = socket.record;
      if (!record) return;
      if (!headSeen) {
        headSeen = true;
        record.ok = data.subarray(0, 12).toString("latin1") === "HTTP/1.1 200";
      }
      tail = Buffer.concat([tail, data]).subarray(-LAST_CHUNK.length);
      if (!tail.equals(LAST_CHUNK)) return;
      tail = Buffer.alloc(0);
      headSeen = false;
      socket.record = undefined;
      idle.push(socket);
      record.done();
    });
    socket.on("error", () => {
      socket.record?.done();
      socket.record = undefined;
    });
    socket.once("connect", () => resolve(socket));
  });
}

// Connections open before the clock starts, as Gauntlet's are.
for (let i = 0; i < cfg.connections; i++) idle.push(await open());
const t0 = rows[0].timestamp;
const originUs = now();
const pending = [];
for (let i = 0; i < rows.length; i++) {
  const dueUs = originUs + (rows[i].timestamp - t0) * 1000;
  if (dueUs > now()) await sleepUntil(dueUs);
  const socket = idle.pop() ?? (await open());
  const record = { startUs: dueUs, sentUs: 0, ok: false, done: () => {} };
  records.push(record);
  pending.push(new Promise((resolve) => (record.done = resolve)));
  socket.record = record;
  socket.write(requests[i]);
  record.sentUs = now();
}
await Promise.all(pending);
for (const socket of idle) socket.destroy();
if (cfg.out)
  writeFileSync(
    cfg.out,
    records.map(({ startUs, sentUs, ok }) => JSON.stringify({ startUs, sentUs, ok })).join("\n") + "\n",
  );
process.stdout.write(
  JSON.stringify({ requests: records.length, failures: records.filter((r) => !r.ok).length }) + "\n",
);
