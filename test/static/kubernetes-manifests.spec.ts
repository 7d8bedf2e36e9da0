import { nodeFlagsFor, serviceProcessEnv } from '@procura/config';
import { QUEUES, RPC_SERVICES } from '@procura/contracts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The manifests of deploy/kubernetes, parsed: nothing here needs a cluster. */
const root = join(__dirname, '..', '..');
const dir = join(root, 'deploy', 'kubernetes');
const SERVICES = ['gateway', ...RPC_SERVICES];

interface Manifest {
  file: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [key: string]: unknown;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
  tcpSocket?: { port: string | number };
}
interface Container {
  name: string;
  command: string[];
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string } }>;
  ports?: Array<{ name: string; containerPort: number }>;
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
type PodTemplate = { spec: { containers: Container[] } };

function yamlFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? yamlFiles(join(folder, entry.name)) : entry.name.endsWith('.yaml') ? [join(folder, entry.name)] : [],
  );
}

const files = yamlFiles(dir);
const parsed = files.map((file) => ({ file: relative(dir, file), docs: parseAllDocuments(readFileSync(file, 'utf8')) }));
const manifests: Manifest[] = parsed.flatMap(({ file, docs }) =>
  (Array.isArray(docs) ? docs : [docs]).map((doc): Manifest => ({ ...(doc.toJS() as Omit<Manifest, 'file'>), file }) as Manifest),
);
const deployments = new Map(manifests.filter((m) => m.kind === 'Deployment').map((m) => [m.metadata.name, m]));
const containerOf = (name: string): Container => (deployments.get(name)!.spec!.template as PodTemplate).spec.containers[0];
/** Settings that carry credentials: the connection URLs hold passwords. */
const SECRET_LIKE = /SECRET|PASSWORD|TOKEN|_KEY$|^(DATABASE|REDIS|SMTP)_URL$/;

describe('deploy/kubernetes manifests', () => {
  it('are well-formed YAML, each document with a kind and a name', () => {
    expect(files.length).toBeGreaterThan(5);
    for (const { file, docs } of parsed) {
      for (const doc of Array.isArray(docs) ? docs : [docs]) {
        expect({ file, errors: doc.errors.map((e) => e.message), warnings: doc.warnings.map((w) => w.message) }).toEqual({
          file,
          errors: [],
          warnings: [],
        });
      }
    }
    for (const m of manifests.filter((doc) => doc.kind !== 'Kustomization')) {
      expect(typeof m.kind).toBe('string');
      expect(typeof m.metadata?.name).toBe('string');
    }
  });

  it('lists every manifest but the KEDA ones in kustomization.yaml, and nothing that is missing', () => {
    const kustomization = manifests.find((m) => m.kind === 'Kustomization')!;
    const resources = (kustomization as unknown as { resources: string[] }).resources;
    for (const resource of resources) expect(existsSync(join(dir, resource))).toBe(true);
    const plain = parsed.map((p) => p.file).filter((f) => f !== 'kustomization.yaml' && !f.startsWith('autoscaling/'));
    expect([...resources].sort()).toEqual(plain.sort());
  });

  it('has a Deployment for every service, running its entry point as the image builds it', () => {
    expect([...deployments.keys()].sort()).toEqual([...SERVICES].sort());
    for (const service of SERVICES) {
      const container = containerOf(service);
      expect(container.command).toEqual(['node', `dist/apps/${service}/src/main.js`]);
      expect(existsSync(join(root, 'apps', service, 'src', 'main.ts'))).toBe(true);
      expect(Number(deployments.get(service)!.spec!.replicas)).toBeGreaterThanOrEqual(2);
    }
  });

  it('sets readiness and liveness probes on the existing health, and requests and limits, on every service', () => {
    for (const service of SERVICES) {
      const c = containerOf(service);
      expect({ service, readiness: Boolean(c.readinessProbe), liveness: Boolean(c.livenessProbe) }).toEqual({
        service,
        readiness: true,
        liveness: true,
      });
      for (const kind of ['requests', 'limits'] as const) {
        expect({ service, kind, cpu: c.resources?.[kind]?.cpu, memory: c.resources?.[kind]?.memory }).toEqual({
          service,
          kind,
          cpu: expect.any(String),
          memory: expect.stringMatching(/^\d+(Mi|Gi)$/),
        });
      }
      if (service === 'gateway') {
        expect(c.readinessProbe!.httpGet).toEqual({ path: '/api/v1/health/ready', port: 'http' });
        expect(c.ports).toEqual([{ name: 'http', containerPort: 3000 }]);
        expect(c.env).toContainEqual({ name: 'PORT', value: '3000' });
      } else {
        // No HTTP port: the replica's RPC heartbeat, read by the presence probe built into the image.
        for (const probe of [c.readinessProbe!, c.livenessProbe!])
          expect(probe.exec?.command).toEqual(['node', 'dist/tools/health/presence-probe.js', service]);
        expect(existsSync(join(root, 'tools', 'health', 'presence-probe.ts'))).toBe(true);
      }
      expect(c.env).toContainEqual({ name: 'INSTANCE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    }
  });

  it('takes every secret from the Secret procura-secrets and writes none inline', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    for (const service of SERVICES) {
      const env = containerOf(service).env ?? [];
      for (const name of ['DATABASE_URL', 'REDIS_URL', 'AUTH_TOKEN_SECRET', 'SECRETS_KEY'])
        expect(env).toContainEqual({ name, valueFrom: { secretKeyRef: { name: 'procura-secrets', key: name } } });
      for (const variable of env.filter((e) => SECRET_LIKE.test(e.name))) {
        expect({ service, name: variable.name, inline: variable.value }).toEqual({ service, name: variable.name, inline: undefined });
        expect(variable.valueFrom?.secretKeyRef?.name).toBe('procura-secrets');
      }
    }
    expect(containerOf('notifications').env).toContainEqual({
      name: 'SMTP_URL',
      valueFrom: { secretKeyRef: { name: 'procura-secrets', key: 'SMTP_URL' } },
    });
    for (const configMap of manifests.filter((m) => m.kind === 'ConfigMap'))
      expect(Object.keys(configMap.data ?? {}).filter((key) => SECRET_LIKE.test(key))).toEqual([]);
    // No credentials in a URL anywhere (scheme://user:password@host).
    for (const file of files) expect(readFileSync(file, 'utf8')).not.toMatch(/\w+:\/\/[^\s/:@]+:[^\s/@]+@/);
  });

  it('runs each service with the Node flags and malloc arenas of service-runtime', () => {
    for (const service of SERVICES) {
      const env = containerOf(service).env ?? [];
      const value = (name: string) => env.find((e) => e.name === name)?.value;
      expect({ service, arenas: value('MALLOC_ARENA_MAX') }).toEqual({ service, arenas: serviceProcessEnv(service, {}).MALLOC_ARENA_MAX });
      const flags = nodeFlagsFor(service);
      expect({ service, flags: value('NODE_OPTIONS') }).toEqual({ service, flags: flags.length ? flags.join(' ') : undefined });
    }
  });

  it('migrates with a Job, and puts the console and the API behind one Service and Ingress', () => {
    const job = manifests.find((m) => m.kind === 'Job')!;
    const migrate = (job.spec!.template as PodTemplate).spec.containers[0];
    expect(migrate.command).toEqual(['node', 'dist/libs/database/src/migrations/migrate.cli.js']);
    expect(existsSync(join(root, 'libs', 'database', 'src', 'migrations', 'migrate.cli.ts'))).toBe(true);
    expect(migrate.env).toContainEqual({
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: { name: 'procura-secrets', key: 'DATABASE_URL' } },
    });

    const services = manifests.filter((m) => m.kind === 'Service');
    expect(services.map((s) => s.metadata.name)).toEqual(['gateway']);
    expect(services[0].spec!.selector).toEqual({ 'app.kubernetes.io/name': 'gateway' });
    const ingresses = manifests.filter((m) => m.kind === 'Ingress');
    expect(ingresses).toHaveLength(1);
    const paths = (ingresses[0].spec!.rules as Array<{ http: { paths: Array<{ path: string; backend: unknown }> } }>).flatMap(
      (r) => r.http.paths,
    );
    expect(paths).toEqual([{ path: '/', pathType: 'Prefix', backend: { service: { name: 'gateway', port: { name: 'http' } } } }]);
  });

  it('scales the workers on their BullMQ wait lists (KEDA), never below two replicas', () => {
    const scaled = manifests.filter((m) => m.kind === 'ScaledObject');
    const queueOf: Record<string, string> = { notifications: QUEUES.notifications, reporting: QUEUES.reports };
    expect(scaled.map((s) => s.metadata.name).sort()).toEqual(Object.keys(queueOf).sort());
    for (const object of scaled) {
      const spec = object.spec as {
        scaleTargetRef: { name: string };
        minReplicaCount: number;
        triggers: Array<{ type: string; metadata: Record<string, string> }>;
      };
      expect(deployments.has(spec.scaleTargetRef.name)).toBe(true);
      expect(spec.minReplicaCount).toBeGreaterThanOrEqual(2);
      expect(spec.triggers[0].type).toBe('redis');
      expect(spec.triggers[0].metadata.listName).toBe(`bull:${queueOf[spec.scaleTargetRef.name]}:wait`);
    }
  });
});
