/**
 * When an action's `progress:` messages are said: each after its delay
 * from the start of the run, again every `every:` while the run lasts.
 * Timers only; what saying means is the caller's (a stream's chunks).
 */
import type { ProgressPlan } from '../compile/index.js';

/**
 * Schedules the messages; returns the function that stops all of them (the
 * run ended, the user barged in, the caller hung up). Items due at the same
 * time are said in file order (node runs equal timers in creation order).
 */
export function scheduleProgress(progress: readonly ProgressPlan[], say: (text: string) => void): () => void {
  const timers = new Set<NodeJS.Timeout>();
  for (const item of progress) {
    const first = setTimeout(() => {
      timers.delete(first);
      say(item.text);
      if (item.everyMs !== null) timers.add(setInterval(() => say(item.text), item.everyMs));
    }, item.afterMs);
    timers.add(first);
  }
  return () => {
    // clearTimeout clears intervals too.
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
}
