import { render } from "ink";
import type { RunEvent } from "../run/events.js";
import { createLiveState, reduceLive } from "./live-state.js";
import { LiveView } from "./live-view.js";

/**
 * Starts the live terminal UI on `stream` (a TTY). Events update a scratch state; the view is
 * redrawn four times a second, never per request, so a fast run does not spend its CPU drawing.
 */
export function startLiveUi(stream: NodeJS.WriteStream): { onEvent(e: RunEvent): void; stop(): void } {
  const state = createLiveState();
  // A pseudo-terminal without a size (script, some CI shells) reports 0 columns: ink would wrap
  // every character onto its own line.
  if (!stream.columns) stream.columns = 100;
  // The view keeps within the terminal's height: ink redraws a frame taller than it badly.
  const rows = () => Math.max(10, stream.rows || 30);
  const view = render(<LiveView state={state} nowMs={Date.now()} rows={rows()} />, {
    stdout: stream,
    patchConsole: false,
  });
  const timer = setInterval(
    () => view.rerender(<LiveView state={state} nowMs={Date.now()} rows={rows()} />),
    250,
  );
  return {
    onEvent: (e) => reduceLive(state, e, Date.now()),
    stop: () => {
      clearInterval(timer);
      view.rerender(<LiveView state={state} nowMs={Date.now()} rows={rows()} />);
      view.unmount();
    },
  };
}
