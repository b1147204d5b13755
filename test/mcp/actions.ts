/** The actions file the MCP tests serve: one tool with an optional parameter, one tool: false action, one validation action. */
export const ACTIONS = `version: 1
connections:
  api:
    base_url: \${API}
    timeout: 2s
actions:
  check_availability:
    description: Whether a restaurant has a table for a party at a time, and which times are free.
    tool:
      name: find_table
      optional: [booking_time]
    request:
      connection: api
      path: /restaurants/{{ slots.restaurant_id }}/availability
      query:
        party: "{{ slots.party_size }}"
        time: "{{ slots.booking_time }}"
    slots:
      has_availability: "{{ response.body.available }}"
      available_times: "{{ response.body.times[] }}"
    responses:
      - text: "We have a table at {{ response.body.times[0] }}."
        when: "{{ response.body.available }}"
    on_error:
      slots:
        lookup_status: "{{ error.reason ? error.reason : error.kind }}"
  internal_audit:
    description: Not for agents.
    tool: false
    slots:
      audited: true
  validate_party_size:
    validate:
      accept_when: "{{ value <= 20 }}"
      on_reject:
        responses:
          - text: Sorry, at most 20.
`;
