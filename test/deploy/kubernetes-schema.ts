/**
 * Kubernetes objects checked against the API's own OpenAPI schemas, offline:
 * kubernetes-models 4.x ships a validator compiled from them for every kind
 * (4.x runs on Node 20; 5.x needs Node 22).
 *
 * Those validators accept fields the schema does not declare, as
 * `kubectl apply --validate=false` would; a typo such as `readinesProbe`
 * would pass and the probe silently never exist. {@link unknownFields}
 * closes that gap the way kubectl's strict field validation does.
 */
import type { ErrorObject } from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';

/** A model class of kubernetes-models: built from plain data, `validate()` throws on a schema error. */
interface ModelClass {
  new (data: any): { validate(): void }; // oxlint-disable-line typescript/no-explicit-any -- each kind's constructor takes its own data; what is passed is parsed YAML that validate() checks
}

/** The kinds deploy/kubernetes may hold, by `apiVersion/kind`. */
const models: Readonly<Record<string, ModelClass>> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

/** A parsed manifest: what every Kubernetes object has. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
}

/** A schema problem: ajv's instancePath and keyword; `no-schema` for a kind this file does not know. */
export type SchemaError = Pick<ErrorObject, 'instancePath' | 'keyword'>;

function modelOf(object: Manifest): ModelClass | undefined {
  return models[`${object.apiVersion}/${object.kind}`];
}

/** The schema errors of one object; [] when it is valid. */
export function schemaErrors(object: Manifest): readonly SchemaError[] {
  const model = modelOf(object);
  if (model === undefined) return [{ instancePath: '', keyword: 'no-schema' }];
  try {
    new model(object).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: unknown }).errors;
    if (!Array.isArray(errors)) throw err;
    return errors as SchemaError[];
  }
}

/**
 * Paths of fields the schema does not declare, outermost only
 * (`/spec/template/spec/containers/0/readinesProbe`). The compiled
 * validators read each declared property by name and walk every key of a
 * map (labels, data), so a key the validator never read is unknown to the
 * schema: the object is validated through a proxy that records the reads.
 * Meaningful for a valid object only (an invalid one stops the walk early).
 */
export function unknownFields(object: Manifest): readonly string[] {
  const model = modelOf(object);
  if (model === undefined) return [];
  const read = new Set<string>();
  model.prototype.validate.call(recordReads(new model(object), '', read));
  const unknown = keyPaths(object, '').filter((path) => !read.has(path));
  return unknown.filter((path) => !unknown.some((outer) => path.startsWith(`${outer}/`)));
}

function recordReads(value: unknown, path: string, read: Set<string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const child = `${path}/${String(key)}`;
      if (typeof key === 'string') read.add(child);
      return recordReads(Reflect.get(target, key, receiver), child, read);
    },
  });
}

/** Every object key's path in `value`, JSON-pointer style; array items are walked, not listed. */
function keyPaths(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => keyPaths(item, `${path}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [`${path}/${key}`, ...keyPaths(child, `${path}/${key}`)]);
}
