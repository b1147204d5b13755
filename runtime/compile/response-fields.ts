/**
 * The fields an action's answer has at a path of `response.body`, as the
 * compiler knows them (its `response_schema:`, else the fixtures of
 * actions.test.yml): what an editor completes after `response.body.`.
 */
import { basename } from 'node:path';
import type { Action } from '../config/index.js';
import type { ReadText } from './read-file.js';
import { fieldsAt, loadShape, shapeFromExamples } from './response-shape.js';
import type { Shape, ShapeField } from './response-shape.js';
import { fixtureBodies } from './test-cases.js';

/** The fields at `names` after `response.body` of a `request:` action, and where the shape comes from; null when unknown. */
export function responseFieldsOf(
  actionsFile: string,
  name: string,
  action: Action,
  readText: ReadText,
  names: readonly string[],
): { readonly source: string; readonly fields: readonly ShapeField[] } | null {
  const ref = action.request?.response_schema;
  let shape: Shape;
  try {
    if (action.request === undefined) return null;
    if (ref !== undefined)
      shape = loadShape(ref, readText, {
        file: basename(actionsFile),
        name: `actions.${name}.request.response_schema`,
      });
    else {
      const bodies = fixtureBodies(readText, name);
      if (bodies.length === 0) return null;
      shape = shapeFromExamples(bodies, 'the fixtures of actions.test.yml');
    }
  } catch {
    // A schema that cannot be read is the compiler's warning; completion just has nothing to offer.
    return null;
  }
  const fields = fieldsAt(shape, names);
  return fields === null ? null : { source: shape.source, fields };
}
