import { describe, expect, it } from 'vitest';
import { botMessage, createDispatcher } from '../../runtime/rasa/index.js';
import { validateClassic } from './response-schema.js';

const EIGHT_KEYS = ['attachment', 'buttons', 'custom', 'elements', 'image', 'response', 'template', 'text'];

describe('botMessage', () => {
  it('always has the eight keys, empties as rasa-sdk sends them', () => {
    expect(botMessage({ text: 'Hello' })).toEqual({
      text: 'Hello',
      buttons: [],
      elements: [],
      custom: {},
      template: null,
      response: null,
      image: null,
      attachment: null,
    });
  });

  it('copies response into template', () => {
    expect(botMessage({ response: 'utter_greet' })).toMatchObject({ template: 'utter_greet', response: 'utter_greet' });
  });

  it('uses a template given without response for both keys', () => {
    expect(botMessage({ template: 'utter_old' })).toMatchObject({ template: 'utter_old', response: 'utter_old' });
  });

  it('puts extra fields at top level as template variables', () => {
    const message = botMessage({ response: 'utter_booked', time: '19:30', quick_replies: [{ title: 'ok' }] });
    expect(message.time).toBe('19:30');
    expect(message.quick_replies).toEqual([{ title: 'ok' }]);
    expect(Object.keys(message).slice(0, 8).sort()).toEqual(EIGHT_KEYS);
  });

  it('maps json_message to custom, as rasa-sdk', () => {
    expect(botMessage({ json_message: { a: 1 } }).custom).toEqual({ a: 1 });
  });

  it('builds messages that pass the response schema', () => {
    const responses = [
      botMessage(),
      botMessage({ text: 'x', buttons: [{ title: 'Yes', payload: '/affirm' }], image: 'https://x/y.png' }),
    ];
    expect(validateClassic({ events: [], responses })).toBe(true);
  });
});

describe('createDispatcher', () => {
  it('collects uttered messages in order', () => {
    const dispatcher = createDispatcher();
    dispatcher.utter({ text: 'one' });
    dispatcher.utter({ response: 'utter_two', name: 'Anna' });
    expect(dispatcher.messages.map((m) => m.text ?? m.response)).toEqual(['one', 'utter_two']);
    expect(dispatcher.messages[1]?.name).toBe('Anna');
  });
});
