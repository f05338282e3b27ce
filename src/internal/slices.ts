/**
 * Guildkit's rendering is cut into short main-thread tasks shared by every element on the page: a
 * page with a hundred widgets, or a thread showing twenty comments, never holds the page in one long
 * task, and the browser paints and handles input in between.
 */

/** How long elements may render in one task before the rest wait for the next one. */
const SLICE_MS = 8;
let sliceEnds = 0;

/** Renders waiting for a task of their own, in the order they asked. */
const waiting: (() => void)[] = [];
/** Work to do once no render waits (see `afterSlices`). */
const after: (() => void)[] = [];
// One message per waiter: each is a task of its own, so the browser paints between them if a frame is
// due (the continuation of `scheduler.yield()` would run before the frame instead).
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  const resume = waiting.shift();
  if (resume) resume();
  else for (const run of after.splice(0)) run();
};

/**
 * Resolves at once while the current slice lasts; otherwise in a new task, after the browser had a
 * chance to paint and handle input.
 */
export async function nextSlice(): Promise<void> {
  if (performance.now() < sliceEnds) return;
  await new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });
  if (performance.now() >= sliceEnds) sliceEnds = performance.now() + SLICE_MS;
}

/**
 * Runs `run` in a task of its own once no render waits: what the elements being rendered now ask for
 * (kudos counts of the comments a thread shows, say) is asked for together.
 */
export function afterSlices(run: () => void): void {
  after.push(run);
  channel.port2.postMessage(0);
}
