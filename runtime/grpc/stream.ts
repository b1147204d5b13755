/**
 * `WebhookStream` (rasa-sdk ≥ 3.17,
 * docs/server.md#webhookstream-and-progress): while the action runs, each
 * `progress:` message is one streamed response (`chunk_start`, one `chunk`
 * with its text, `chunk_end`, under a fresh `response_id`), so a voice or
 * chat channel says it at once; then exactly one terminal event,
 * `final_result` (events and messages, without the progress messages, which
 * were already said, as rasa-sdk leaves streamed chunks out) or `error` with
 * the failure's status. A fast call says nothing but its result.
 *
 * Barge-in: `AckStreamChunks` with any response id of the call stops its
 * further progress messages (rasa-sdk cancels the dispatcher's streaming,
 * not one response), and the result still comes once the run ends, or an
 * empty `final_result` after the barge-in timeout, as rasa-sdk does. A
 * client that hangs up gets nothing more; the run itself ends at its own
 * deadline (the engine has no way to abort a run).
 */
import { randomUUID } from 'node:crypto';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { scheduleProgress } from './progress.js';
import { EMPTY_WEBHOOK_RESPONSE } from './response.js';
import type { StreamEvent } from './response.js';
import { endOf } from './run-call.js';
import type { CallEnd, StartedCall } from './run-call.js';
import { statusError } from './status.js';

/** The streams that said something, by each response id they used: what AckStreamChunks stops. */
export type BargeIns = Map<string, () => void>;

/** What a stream needs besides its call. */
export interface StreamOptions {
  readonly bargeIns: BargeIns;
  readonly bargeInTimeoutMs: number;
}

/**
 * Serves one WebhookStream call; `onEnd` is told how it ended and how many
 * progress messages were said.
 */
export function webhookStream(
  call: ServerWritableStream<Record<string, unknown>, StreamEvent>,
  run: StartedCall,
  options: StreamOptions,
  onEnd: (end: CallEnd | 'cancelled', chunks: number) => void,
): void {
  const { bargeIns } = options;
  const ids: string[] = [];
  let ended = false;
  let bargeInTimer: NodeJS.Timeout | undefined;

  const say = (text: string): void => {
    const response_id = randomUUID().replaceAll('-', '');
    ids.push(response_id);
    bargeIns.set(response_id, bargeIn);
    call.write({ chunk_start: { response_id } });
    call.write({ chunk: { response_id, text } });
    call.write({ chunk_end: { response_id } });
  };
  const stopProgress = scheduleProgress(run.progress, say);

  /** Ends the stream once: the terminal event and status, or nothing when the client is gone. */
  const finish = (end: CallEnd | 'cancelled'): void => {
    if (ended) return;
    ended = true;
    stopProgress();
    clearTimeout(bargeInTimer);
    for (const id of ids) bargeIns.delete(id);
    onEnd(end, ids.length);
    if (end === 'cancelled') return;
    if (end.ok) {
      // rasa-sdk sends no final_result for a call without an action.
      if (end.response !== null) call.write({ final_result: end.response });
      call.end();
      return;
    }
    call.write({ error: { action_name: end.actionName ?? '', message: end.status.message } });
    call.emit('error', statusError(end.status));
  };

  function bargeIn(): void {
    stopProgress();
    if (ended || bargeInTimer !== undefined) return;
    // Rasa Pro needs a terminal final_result to finish its barge-in handling.
    bargeInTimer = setTimeout(
      () =>
        finish({
          ok: true,
          actionName: run.actionName,
          response: EMPTY_WEBHOOK_RESPONSE,
          outcome: { ok: true, actionName: run.actionName, body: null, dropped: 0 },
        }),
      options.bargeInTimeoutMs,
    );
  }

  call.once('cancelled', () => finish('cancelled'));
  void run.outcome.then((outcome) => finish(endOf(outcome, 'WebhookStream')));
}
