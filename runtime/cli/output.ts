/**
 * How commands write: one place that owns stdout and stderr. The rule
 * (README, Commands): results on stdout; diagnostics, usage errors and
 * failures on stderr.
 */

/** Where a command writes; tests pass their own. */
export interface Output {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/**
 * An Output on two streams, one line per call. A reader that goes away
 * (`slotwire run … | head`) makes the stream fail with EPIPE: the command
 * stops writing there and finishes as it would have, instead of dying on an
 * unhandled 'error' event. Any other stream error is thrown, as
 * node would without a listener.
 */
export function streamOutput(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Output {
  return { out: lineWriter(stdout), err: lineWriter(stderr) };
}

function lineWriter(stream: NodeJS.WritableStream): (text: string) => void {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(`${text}\n`);
  };
}
