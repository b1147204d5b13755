/**
 * `slotwire init [dir]`: a starter actions.yml (with the schema header for
 * editor completion), a passing test file, and the endpoints.yml snippet for
 * Rasa. Never overwrites a file.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { schemaUrl } from '../config/index.js';
import type { Output } from './output.js';
import { parseCommandArgs, USAGE_EXIT } from './args.js';

/**
 * Where the starter's API is until WEATHER_API_URL says otherwise: a local
 * address, so a fresh starter never reaches the internet. The
 * request shape is Open-Meteo's (free, no key), so setting
 * WEATHER_API_URL=https://api.open-meteo.com/v1 makes it call a real API.
 */
export const starterApiUrl = 'http://localhost:8080';

/** The real API the starter's request shape fits, shown in the next steps. */
const realApiUrl = 'https://api.open-meteo.com/v1';

/** `slotwire init --help`. */
export const initUsage: string = `Usage: slotwire init [dir]

Writes a starter actions.yml, actions.test.yml, endpoints.snippet.yml and
actions.schema.json (for editor completion) into dir (default: .).
Existing files are left alone. The starter works offline: its API address
defaults to ${starterApiUrl}, and its tests answer HTTP calls from fixtures.`;

const actions = `# yaml-language-server: $schema=./actions.schema.json
# Declared Rasa custom actions. The language: docs/actions-yml.md in the slotwire repository.
version: 1

connections:
  weather:
    # URLs and secrets come from the environment, as \${NAME}. A value that is
    # not secret may have a default, \${NAME:-default}. This one is a local
    # address, so nothing reaches the internet until you choose an API.
    # For the real Open-Meteo API (free, no key):
    #   WEATHER_API_URL=${realApiUrl} npx slotwire serve
    base_url: \${WEATHER_API_URL:-${starterApiUrl}}
    timeout: 3s

actions:
  action_check_weather:
    description: The temperature at the user's coordinates, for the flow to mention.
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

const tests = `# Run with: npx slotwire test
# Offline: every HTTP call is answered by the http: fixtures below, and
# \${WEATHER_API_URL} gets a placeholder, so no API and no network are needed.
tests:
  - name: reports the current temperature
    action: action_check_weather
    slots: { latitude: 52.52, longitude: 13.41 }
    http:
      - path: /forecast
        query: { latitude: "52.52", longitude: "13.41", current: temperature_2m }
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

  - name: no answer at all (the API is not running) sets weather_status too
    action: action_check_weather
    slots: { latitude: 52.52, longitude: 13.41 }
    http:
      - path: /forecast
        reply: { error: network }
    expect:
      slots: { weather_status: network }
      error: { kind: network }
`;

const endpoints = `# Add to your Rasa project's endpoints.yml, then run: npx slotwire serve
action_endpoint:
  url: http://localhost:5055/webhook
`;

/** Runs the command; returns the exit code. */
export async function initCommand(args: readonly string[], io: Output): Promise<number> {
  const parsed = parseCommandArgs(
    'init',
    { args: [...args], allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } },
    io,
  );
  if (parsed === null) return USAGE_EXIT;
  const { values, positionals } = parsed;
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
  const file = join(dir, 'actions.yml');
  io.out(
    [
      '',
      'Next:',
      `  npx slotwire validate ${file}`,
      `  npx slotwire test ${join(dir, 'actions.test.yml')}      # offline: fixtures answer the HTTP calls`,
      `  npx slotwire run action_check_weather --actions ${file} --slot latitude=52.52 --slot longitude=13.41 --dry-run`,
      `  npx slotwire serve --actions ${file}`,
      '',
      `The API address defaults to ${starterApiUrl}. To call a real API, set it:`,
      `  WEATHER_API_URL=${realApiUrl} npx slotwire serve --actions ${file}`,
      "Then add endpoints.snippet.yml's action_endpoint to your Rasa project's endpoints.yml.",
    ].join('\n'),
  );
  return 0;
}
