// findEventsSpan: the span it gives is exactly tracker.events of a body that
// JSON.parse and checkCall accept; whenever it is unsure it gives null, and the
// server parses the whole body as before
// (docs/server.md#only-what-the-actions-read-is-parsed).
import { describe, expect, it } from 'vitest';
import { webhookBody } from '../../bench/webhook-body.mjs';
import { checkCall } from '../../runtime/rasa/index.js';
import { findEventsSpan } from '../../runtime/server/events-span.js';
import { seededRandom } from '../support/seeded-random.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const spliced = (buf: Buffer, span: { start: number; end: number }): unknown =>
  JSON.parse(`${buf.toString('utf8', 0, span.start)}[]${buf.toString('utf8', span.end)}`);

/** What the span promises: the body parses, its events pass checkCall, and leaving them out changes nothing else. */
function expectFaithful(buf: Buffer): void {
  const span = findEventsSpan(buf);
  if (span === null) return;
  const full = JSON.parse(buf.toString('utf8')) as { tracker: { events: unknown[] } };
  expect(checkCall(full as unknown as Record<string, unknown>)?.field ?? '').not.toMatch(/^tracker\.events/);
  expect(JSON.parse(buf.toString('utf8', span.start, span.end))).toEqual(full.tracker.events);
  full.tracker.events = [];
  expect(spliced(buf, span)).toEqual(full);
}

describe('findEventsSpan', () => {
  it('finds the events of a Rasa body, whatever their size', () => {
    for (const n of [0, 1, 10, 1000]) {
      const buf = bytes(webhookBody('action_order_status', n));
      const span = findEventsSpan(buf);
      expect(span).not.toBeNull();
      expectFaithful(buf);
    }
  });

  it('reads keys in any order, with whitespace and unicode around them', () => {
    const text = `  {\n "domain" : {"slots": {"é": [1, -2.5e+3, true, false, null]}} ,\t"tracker":{ "slots": {"events": "not these"}, "latest_message": {"text": "say \\"events\\": [] \\u00e9 ☃"},\n "events" : [ {"event":"user","text":"hi"} , {"x": {"y": [[]]}, "event": "bot"} ] , "paused": false }, "next_action": "a", "sender_id": "s" }`;
    const buf = bytes(text);
    const span = findEventsSpan(buf);
    expect(span).not.toBeNull();
    expect(JSON.parse(buf.toString('utf8', span?.start, span?.end))).toEqual([
      { event: 'user', text: 'hi' },
      { x: { y: [[]] }, event: 'bot' },
    ]);
    expectFaithful(buf);
  });

  it.each([
    ['no tracker', '{"next_action": "a"}'],
    ['events null', '{"tracker": {"events": null}}'],
    ['events an object', '{"tracker": {"events": {}}}'],
    ['an event without `event`', '{"tracker": {"events": [{"event": "user"}, {"text": "hi"}]}}'],
    ['`event` not a string', '{"tracker": {"events": [{"event": 3}]}}'],
    ['a later duplicate `event` that is not a string', '{"tracker": {"events": [{"event": "user", "event": null}]}}'],
    ['an item that is not an object', '{"tracker": {"events": [{"event": "user"}, 1]}}'],
    ['an escaped key', '{"tracker": {"ev\\u0065nts": [{"event": "user"}]}}'],
    ['an escaped `event` key', '{"tracker": {"events": [{"\\u0065vent": "user"}]}}'],
    ['a bad literal', '{"tracker": {"events": [{"event": "user", "x": tru}]}}'],
    ['a bad number', '{"tracker": {"events": [{"event": "user", "x": 01}]}}'],
    ['a bad escape', '{"tracker": {"events": [{"event": "us\\xer"}]}}'],
    ['a raw control character', '{"tracker": {"events": [{"event": "us\ner"}]}}'],
    ['a trailing comma', '{"tracker": {"events": [{"event": "user"},]}}'],
    ['a missing colon', '{"tracker": {"events": [{"event" "user"}]}}'],
    ['a truncated body', '{"tracker": {"events": [{"event": "user"'],
    ['deep nesting', `{"tracker": {"events": [{"event": "user", "x": ${'['.repeat(100)}${']'.repeat(100)}}]}}`],
    ['not an object', '[{"tracker": {"events": []}}]'],
  ])('gives up on %s', (_name, text) => {
    expect(findEventsSpan(bytes(text))).toBeNull();
  });

  it('keeps its promise on 3 000 mutated bodies', () => {
    const random = seededRandom(14);
    const base = webhookBody('action_order_status', 3);
    const alphabet = '{}[]",:\\ \n0-1.eE+tfnul"aAé\u0001';
    let found = 0;
    for (let n = 0; n < 3000; n++) {
      const chars = base.split(''); // one item per UTF-16 unit: a mutation may split a pair, as a broken client would
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        const at = Math.floor(random() * chars.length);
        const c = alphabet[Math.floor(random() * alphabet.length)];
        const op = random();
        if (op < 0.4) chars[at] = c;
        else if (op < 0.7) chars.splice(at, 1);
        else chars.splice(at, 0, c);
      }
      const buf = bytes(chars.join(''));
      let parses = true;
      try {
        JSON.parse(buf.toString('utf8'));
      } catch {
        parses = false;
      }
      const span = findEventsSpan(buf);
      // A span inside a body JSON.parse refuses is allowed (the rest is JSON.parse's to refuse), but never inside the events.
      if (span !== null && parses) {
        found += 1;
        expectFaithful(buf);
      } else if (span !== null) {
        expect(() => JSON.parse(buf.toString('utf8', span.start, span.end))).not.toThrow();
      }
    }
    expect(found).toBeGreaterThan(500);
  });
});
