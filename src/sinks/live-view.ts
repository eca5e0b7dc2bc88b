import { startLiveUi } from "../ui/live-ui.js";
import type { RunSink } from "./sink.js";

/** The live terminal view (src/ui, the only folder that imports ink) as a sink on `stream`, a TTY. */
export function createLiveViewSink(stream: NodeJS.WriteStream): RunSink {
  let live: ReturnType<typeof startLiveUi> | undefined;
  return {
    start: async () => {
      live = startLiveUi(stream);
    },
    event: (e) => live?.onEvent(e),
    flush: () => {},
    close: async () => {
      live?.stop();
      live = undefined;
    },
  };
}
