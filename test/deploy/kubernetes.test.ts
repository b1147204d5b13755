// deploy/kubernetes (docs/deploy.md#5-kubernetes), checked offline: every object against its
// kind's Kubernetes schema (unknown fields included), then what a schema
// cannot see: the names that tie the objects together, the probes and the
// mount that auto-reload depends on, and the ConfigMap's actions.yml through
// slotwire's own loader with the environment the pod will have.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadPlan } from '../../runtime/index.js';
import { serveUsage } from '../../runtime/cli/serve-options.js';
import { schemaErrors, unknownFields } from './kubernetes-schema.js';
import type { Manifest } from './kubernetes-schema.js';

const folder = resolve(dirname(fileURLToPath(import.meta.url)), '../../deploy/kubernetes');
/** What the image's entrypoint serves (`start` → `slotwire serve --actions …`). */
const ENTRYPOINT_ACTIONS = '/app/actions/actions.yml';
/** The container port the entrypoint listens on. */
const PORT = 5055;

const files = readdirSync(folder)
  .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
  .sort();
const manifests: { file: string; object: Manifest }[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(folder, file), 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
    return { file, object: doc.toJS() as Manifest };
  }),
);

function all<T>(kind: string): T[] {
  return manifests.filter((m) => m.object.kind === kind).map((m) => m.object as T);
}
function one<T>(kind: string, name: string): T {
  const found = manifests.find((m) => m.object.kind === kind && m.object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/kubernetes`);
  return found.object as T;
}
const deployments = all<IDeployment>('Deployment');
const slotwire = one<IDeployment>('Deployment', 'slotwire');
const pod = slotwire.spec!.template.spec!;
const container = pod.containers.find((c) => c.name === 'slotwire') as IContainer;

/** True when every label of `selector` is on `labels`. */
function selects(
  selector: Readonly<Record<string, string>> | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return (
    selector !== undefined &&
    Object.keys(selector).length > 0 &&
    Object.entries(selector).every(([k, v]) => labels?.[k] === v)
  );
}

/** The environment a container starts with: literal env, envFrom Secrets and ConfigMaps, valueFrom keys. */
function environmentOf(c: IContainer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    if (from.secretRef) Object.assign(env, one<ISecret>('Secret', from.secretRef.name!).stringData);
    if (from.configMapRef) Object.assign(env, one<IConfigMap>('ConfigMap', from.configMapRef.name!).data);
  }
  for (const e of c.env ?? []) {
    const secretKey = e.valueFrom?.secretKeyRef;
    const mapKey = e.valueFrom?.configMapKeyRef;
    if (e.value !== undefined) env[e.name] = e.value;
    else if (secretKey) env[e.name] = one<ISecret>('Secret', secretKey.name!).stringData?.[secretKey.key] as string;
    else if (mapKey) env[e.name] = one<IConfigMap>('ConfigMap', mapKey.name!).data?.[mapKey.key] as string;
  }
  return env;
}

describe('deploy/kubernetes against the Kubernetes schemas', () => {
  it.each(manifests.map((m) => [`${m.file}: ${m.object.kind} ${m.object.metadata.name}`, m.object] as const))(
    '%s is valid, with no unknown field',
    (_name, object) => {
      expect(schemaErrors(object)).toEqual([]);
      expect(unknownFields(object)).toEqual([]);
    },
  );

  it('rejects a broken Deployment: a string replicas, and a misspelt probe', () => {
    const broken = structuredClone(slotwire) as unknown as Manifest & { spec: Record<string, unknown> };
    broken.spec['replicas'] = '2';
    expect(schemaErrors(broken)).toContainEqual(
      expect.objectContaining({ instancePath: '/spec/replicas', keyword: 'type' }),
    );
    const misspelt = structuredClone(slotwire);
    const c = misspelt.spec!.template.spec!.containers[0] as IContainer & { readinesProbe?: unknown };
    c.readinesProbe = c.readinessProbe;
    delete c.readinessProbe;
    expect(schemaErrors(misspelt as Manifest)).toEqual([]);
    expect(unknownFields(misspelt as Manifest)).toEqual(['/spec/template/spec/containers/0/readinesProbe']);
    expect(schemaErrors({ apiVersion: 'v1', kind: 'Sekret', metadata: { name: 'x' } })).toMatchObject([
      { keyword: 'no-schema' },
    ]);
  });

  it('lists every manifest in kustomization.yaml, and only those', () => {
    const kustomization = parse(readFileSync(join(folder, 'kustomization.yaml'), 'utf8')) as {
      kind: string;
      resources: string[];
    };
    expect(kustomization.kind).toBe('Kustomization');
    expect([...kustomization.resources].sort()).toEqual(files);
    expect(new Set(manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`)).size).toBe(manifests.length);
  });
});

describe('the slotwire Deployment', () => {
  it('runs the entrypoint with --auto-reload and flags slotwire serve knows', () => {
    expect(container.args?.[0]).toBe('start');
    expect(container.args).toContain('--auto-reload');
    for (const flag of container.args!.filter((a) => a.startsWith('--')))
      expect(serveUsage).toMatch(new RegExp(`^ +(-\\w, )?${flag}[ ,]`, 'm'));
    // The drain delay, 10 s for requests in flight and 5 s for spans fit in the grace period (docs/operations.md).
    const drain = Number(container.args![container.args!.indexOf('--drain-delay') + 1]);
    expect(drain).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(drain + 15);
  });

  it('probes /health for liveness and /ready for readiness on the container port', () => {
    const http = container.ports?.find((p) => p.containerPort === PORT);
    expect(http?.name).toBe('http');
    for (const [probe, path] of [
      [container.livenessProbe, '/health'],
      [container.readinessProbe, '/ready'],
    ] as const) {
      expect(probe?.httpGet?.path).toBe(path);
      expect([http?.name, PORT]).toContain(probe?.httpGet?.port);
    }
  });

  it('mounts the ConfigMap as the folder the entrypoint reads, never through subPath', () => {
    const mounts = (container.volumeMounts ?? []).filter((m) => m.mountPath === dirname(ENTRYPOINT_ACTIONS));
    expect(mounts).toHaveLength(1);
    const mount = mounts[0];
    // A subPath mount is a copy of the first version: ConfigMap updates never reach it.
    expect(mount.subPath).toBeUndefined();
    expect(mount.subPathExpr).toBeUndefined();
    const volume = pod.volumes?.find((v) => v.name === mount.name);
    const map = one<IConfigMap>('ConfigMap', volume!.configMap!.name!);
    const file = volume!.configMap!.items?.find((i) => i.key === 'actions.yml')?.path ?? 'actions.yml';
    expect(file).toBe(basename(ENTRYPOINT_ACTIONS));
    expect(Object.keys(map.data ?? {})).toContain('actions.yml');
  });

  it('runs as a non-root user on a read-only root, with no capabilities', () => {
    for (const d of deployments) {
      const spec = d.spec!.template.spec!;
      for (const c of spec.containers) {
        const where = `${d.metadata!.name}/${c.name}`;
        expect(c.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot, where).toBe(true);
        expect(c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser, where).toBeGreaterThan(0);
        expect(c.securityContext, where).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.resources?.requests, where).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.resources?.limits?.['memory'], where).toBeDefined();
      }
    }
    expect(pod.securityContext).toMatchObject({ runAsUser: 1001, runAsGroup: 0 });
  });

  it('takes its environment from objects and keys that exist', () => {
    for (const d of deployments) {
      for (const c of d.spec!.template.spec!.containers) {
        for (const from of c.envFrom ?? []) {
          if (from.secretRef) expect(one<ISecret>('Secret', from.secretRef.name!).stringData).toBeDefined();
          if (from.configMapRef) expect(one<IConfigMap>('ConfigMap', from.configMapRef.name!).data).toBeDefined();
        }
        for (const e of c.env ?? []) expect(e.value ?? environmentOf(c)[e.name], `${c.name}: ${e.name}`).toBeDefined();
        // envFrom drops keys that are not variable names, with only an event to say so.
        for (const name of Object.keys(environmentOf(c))) expect(name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      }
    }
    // Service links would put SLOTWIRE_*_PORT=tcp://… variables, which slotwire may read as flags, in the pod.
    expect(pod.enableServiceLinks).toBe(false);
    const env = environmentOf(container);
    expect(env['SLOTWIRE_REDIS_PREFIX']).toBeDefined();
    // SLOTWIRE_REDIS_URL names the redis Service and one of its ports.
    const redis = new URL(env['SLOTWIRE_REDIS_URL']);
    const service = one<IService>('Service', redis.hostname);
    expect(service.spec!.ports!.map((p) => p.port)).toContain(Number(redis.port));
  });
});

describe('the objects around it', () => {
  it('points each Service at the pods of one Deployment, on a port they declare', () => {
    expect(one<IService>('Service', 'slotwire').spec!.ports).toContainEqual(
      expect.objectContaining({ port: PORT, targetPort: 'http' }),
    );
    for (const service of all<IService>('Service')) {
      const targets = deployments.filter((d) => selects(service.spec!.selector, d.spec!.template.metadata!.labels));
      expect(
        targets.map((d) => d.metadata!.name),
        service.metadata!.name,
      ).toHaveLength(1);
      const ports = targets[0].spec!.template.spec!.containers.flatMap((c) => c.ports ?? []);
      for (const p of service.spec!.ports!)
        expect(ports.some((cp) => cp.name === p.targetPort || cp.containerPort === p.targetPort)).toBe(true);
    }
    for (const d of deployments)
      expect(selects(d.spec!.selector.matchLabels, d.spec!.template.metadata!.labels), d.metadata!.name).toBe(true);
  });

  it('autoscales the slotwire Deployment on CPU, from 2 pods, slowly down', () => {
    const hpa = one<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler', 'slotwire');
    expect(hpa.spec!.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'slotwire' });
    expect(hpa.spec!.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec!.maxReplicas).toBeGreaterThan(hpa.spec!.minReplicas!);
    expect(hpa.spec!.metrics).toContainEqual(
      expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) }),
    );
    // Utilization is a share of the request: without one the HPA cannot compute it.
    expect(container.resources?.requests?.['cpu']).toBeDefined();
    expect(hpa.spec!.behavior?.scaleDown?.stabilizationWindowSeconds).toBeGreaterThan(0);
    const pdb = one<IPodDisruptionBudget>('PodDisruptionBudget', 'slotwire');
    expect(selects(pdb.spec!.selector!.matchLabels, slotwire.spec!.template.metadata!.labels)).toBe(true);
  });

  it('keeps Redis from evicting records before their TTL, and from writing to disk', () => {
    const redis = one<IDeployment>('Deployment', 'redis');
    const args = redis.spec!.template.spec!.containers[0].args!;
    const flag = (name: string) => args[args.indexOf(name) + 1];
    expect(flag('--maxmemory-policy')).toBe('noeviction');
    expect(flag('--save')).toBe('');
    expect(flag('--appendonly')).toBe('no');
    expect(redis.spec!.replicas).toBe(1);
  });

  it("holds an actions.yml that slotwire loads with the pod's environment", async () => {
    const text = one<IConfigMap>('ConfigMap', 'slotwire-actions').data!['actions.yml'];
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-k8s-'));
    try {
      const file = join(dir, 'actions.yml');
      await writeFile(file, text);
      const { plan, diagnostics } = await loadPlan(file, { env: environmentOf(container) });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(plan).not.toBeNull();
      // Its ${VAR}s have no defaults: without the pod's environment it does not load.
      const bare = await loadPlan(file, { env: {} });
      expect(bare.plan).toBeNull();
      expect(new Set(bare.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))).toEqual(
        new Set(['SW_ENV_MISSING']),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
