// Rasa-shaped `POST /webhook` bodies (docs/protocol.md#the-request) with a
// tracker of N events in a user / action / slot / bot mix, Rasa's most
// common kinds (3 876 events ≈ 1 MB, which JSON.parse reads in about 4 ms).

const TS = 1_764_000_000;

function userEvent(i) {
  return {
    event: 'user',
    timestamp: TS + i,
    metadata: { model_id: 'a1b2c3d4e5f6' },
    text: `Where is my order number ${10000 + i}? I ordered it last week.`,
    parse_data: {
      intent: { name: 'order_status', confidence: 0.9731 },
      entities: [
        {
          entity: 'order_id',
          value: String(10000 + i),
          start: 24,
          end: 29,
          confidence_entity: 0.99,
          extractor: 'DIETClassifier',
        },
      ],
      text: `Where is my order number ${10000 + i}? I ordered it last week.`,
      message_id: `m${i.toString(16).padStart(12, '0')}`,
      metadata: {},
      intent_ranking: [
        { name: 'order_status', confidence: 0.9731 },
        { name: 'greet', confidence: 0.0112 },
      ],
    },
    input_channel: 'rest',
    message_id: `m${i.toString(16).padStart(12, '0')}`,
  };
}

function event(i) {
  switch (i % 4) {
    case 0:
      return userEvent(i);
    case 1:
      return {
        event: 'action',
        timestamp: TS + i,
        metadata: { model_id: 'a1b2c3d4e5f6' },
        name: 'action_order_status',
        policy: 'TEDPolicy',
        confidence: 0.98,
        action_text: null,
        hide_rule_turn: false,
      };
    case 2:
      return {
        event: 'slot',
        timestamp: TS + i,
        metadata: { model_id: 'a1b2c3d4e5f6' },
        name: 'order_status',
        value: 'shipped',
      };
    default:
      return {
        event: 'bot',
        timestamp: TS + i,
        metadata: { model_id: 'a1b2c3d4e5f6', utter_action: 'utter_order_status' },
        text: 'Your order is shipped and arrives on Friday.',
        data: { elements: null, quick_replies: null, buttons: null, attachment: null, image: null, custom: null },
      };
  }
}

/** The webhook body as a string: `nextAction` with a tracker of `events` events. */
export function webhookBody(nextAction, events = 10) {
  const evs = Array.from({ length: events }, (_, i) => event(i));
  return JSON.stringify({
    next_action: nextAction,
    sender_id: 'bench-user-1',
    tracker: {
      sender_id: 'bench-user-1',
      slots: {
        order_id: '10042',
        language: 'de',
        email: 'anna@example.com',
        order_status: null,
        order_carrier: null,
        order_total: null,
        customer_name: null,
        open_tickets: null,
        requested_slot: null,
        session_started_metadata: null,
      },
      latest_message: userEvent(events).parse_data,
      latest_event_time: TS + events,
      followup_action: null,
      paused: false,
      stack: [],
      events: evs,
      latest_input_channel: 'rest',
      active_loop: {},
      latest_action: { action_name: 'action_listen' },
      latest_action_name: 'action_listen',
    },
    domain_digest: 'bench-digest',
    version: '3.13.4',
  });
}
