/** What each fault the simulator injects must look like to the client. A trickled response is slow, not failed. */
export const FAILURE_KIND_OF_FAULT: Record<string, string | undefined> = {
  http_429: "http_429",
  http_500: "http_5xx",
  drop: "stream_dropped",
  malformed: "malformed",
  stall: "timeout",
  trickle: undefined,
};
