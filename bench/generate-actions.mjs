// Generated actions files of any size, the same realistic action repeated:
// the start-up bench (startup.mjs) and the language server's latency bench
// (lsp.mjs) read the same files.

/** One realistic action: a GET with path and query templates, 3 slots, a response, on_error. */
export function action(i) {
  return `  action_lookup_${i}:
    description: Look up thing ${i}
    request:
      connection: api${i % 10}
      path: /things/{{ slots.thing_id }}/details/${i}
      query:
        lang: "{{ slots.language }}"
        limit: 5
    slots:
      thing_name: "{{ response.body.name }}"
      thing_price: "{{ $round(response.body.price * 1.19, 2) }}"
      thing_tags: "{{ response.body.tags[active = true].label }}"
    responses:
      - text: "{{ response.body.name }} costs {{ response.body.price }} EUR."
    on_error:
      slots:
        lookup_status: "{{ error.reason ? error.reason : error.kind }}"
`;
}

/** An actions file of `n` such actions over 10 connections. */
export function file(n) {
  const connections = Array.from(
    { length: 10 },
    (_, i) => `  api${i}:\n    base_url: \${API_URL:-http://127.0.0.1:9}\n    timeout: 2s\n`,
  ).join('');
  return `version: 1\nconnections:\n${connections}actions:\n${Array.from({ length: n }, (_, i) => action(i)).join('')}`;
}
