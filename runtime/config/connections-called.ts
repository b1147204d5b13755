/** The connections an action calls, read from its data as written: before `${VAR}` resolution and schema checks. */

/**
 * The connection names of an action's `request:` and `steps:` (parallel
 * groups included), read defensively: the action may not fit the schema.
 * A connection's OAuth2 token endpoint is part of that connection.
 */
export function connectionsCalled(action: unknown): string[] {
  const { request, steps } = (action ?? {}) as { request?: unknown; steps?: unknown };
  const stepList = Array.isArray(steps)
    ? steps.flatMap((s: unknown) =>
        s && typeof s === 'object' && 'parallel' in s && Array.isArray(s.parallel) ? s.parallel : [s],
      )
    : [];
  const requests = [
    request,
    ...stepList.map((s: unknown) => (s && typeof s === 'object' && 'request' in s ? s.request : undefined)),
  ];
  return requests.flatMap((r) =>
    r && typeof r === 'object' && 'connection' in r && typeof r.connection === 'string' ? [r.connection] : [],
  );
}
