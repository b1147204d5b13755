/**
 * `slotwire init [dir]`: a starter actions.yml (with the schema header for
 * editor completion), a passing test file, and the endpoints.yml snippet for
 * Rasa. Never overwrites a file.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { schemaUrl } from '../config/index.js';
import type { Output } from './output.js';

export const initUsage = `Usage: slotwire init [dir]

Writes a starter actions.yml, actions.test.yml, endpoints.snippet.yml and
actions.schema.json (for editor completion) into dir (default: .).
Existing files are left alone.`;

const actions = `# yaml-language-server: $schema=./actions.schema.json
# Declared Rasa custom actions. The language: docs/actions-yml.md in the slotwire package.
version: 1

connections:
  weather:
    # Secrets and URLs come from the environment: \${NAME} or \${NAME:-default}.
    base_url: \${WEATHER_API_URL:-https://api.open-meteo.com/v1}
    timeout: 3s

actions:
  action_check_weather:
    description: The temperature at the user's city, for the flow to mention.
    request:
      connection: weather
      path: /forecast
      query:
        latitude: "{{ slots.latitude }}"
        longitude: "{{ slots.longitude }}"
        current: temperature_2m
    slots:
      temperature: "{{ response.body.current.temperature_2m }}"
      weather_status: ok
    responses:
      - text: "It is {{ response.body.current.temperature_2m }}°C right now."
    on_error:
      slots:
        weather_status: "{{ error.reason ? error.reason : error.kind }}"
`;

const tests = `# Run with: npx slotwire test   (no network: HTTP calls are answered below)
tests:
  - name: reports the current temperature
    action: action_check_weather
    slots: { latitude: 52.52, longitude: 13.41 }
    http:
      - path: /forecast
        query: { latitude: "52.52", current: temperature_2m }
        reply:
          json: { current: { temperature_2m: 21.5 } }
    expect:
      slots: { temperature: 21.5, weather_status: ok }
      responses: [{ text: "It is 21.5°C right now." }]

  - name: an API outage sets weather_status for the flow to branch on
    action: action_check_weather
    slots: { latitude: 52.52, longitude: 13.41 }
    http:
      - path: /forecast
        reply: { status: 503, json: { error: down } }
    expect:
      slots: { weather_status: unavailable }
      error: { kind: status, reason: unavailable }
`;

const endpoints = `# Add to your Rasa project's endpoints.yml, then run: npx slotwire serve
action_endpoint:
  url: http://localhost:5055/webhook
`;

/** Runs the command; returns the exit code. */
export async function initCommand(args: readonly string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(initUsage);
    return 0;
  }
  const dir = positionals[0] ?? '.';
  await mkdir(dir, { recursive: true });
  const files: [string, () => Promise<void>][] = [
    ['actions.yml', () => writeFile(join(dir, 'actions.yml'), actions, { flag: 'wx' })],
    ['actions.test.yml', () => writeFile(join(dir, 'actions.test.yml'), tests, { flag: 'wx' })],
    ['endpoints.snippet.yml', () => writeFile(join(dir, 'endpoints.snippet.yml'), endpoints, { flag: 'wx' })],
    ['actions.schema.json', () => copyFile(schemaUrl, join(dir, 'actions.schema.json'), 1 /* COPYFILE_EXCL */)],
  ];
  for (const [name, write] of files) {
    try {
      await write();
      io.out(`created ${join(dir, name)}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      io.out(`kept    ${join(dir, name)} (already there)`);
    }
  }
  io.out(`\nNext:\n  npx slotwire validate ${join(dir, 'actions.yml')}\n  npx slotwire test ${join(dir, 'actions.test.yml')}\n  npx slotwire serve --actions ${join(dir, 'actions.yml')}`);
  return 0;
}
