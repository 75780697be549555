import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SERVICE_NAMES } from '@tokentally/platform-config';
import { composeEnv } from './compose/compose-cli';

const DEPLOY = __dirname;

function composeConfig(file: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('docker', ['compose', '-f', file, 'config'], { env: composeEnv(), encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('deploy/docker-compose.yml', () => {
  it('passes `docker compose config` with the same topology as the local stack', () => {
    const result = composeConfig(path.join(DEPLOY, 'docker-compose.yml'));
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    const rendered = parseAllDocuments(result.stdout)[0]?.toJS() as {
      services: Record<string, { environment?: Record<string, unknown>; healthcheck?: unknown }>;
    };
    const services = Object.keys(rendered.services).sort();
    expect(services).toEqual([...SERVICE_NAMES, 'kafka', 'schema-registry', 'postgres', 'redis'].sort());
    for (const name of SERVICE_NAMES) {
      const service = rendered.services[name];
      expect(service?.environment).toMatchObject({ SERVICE: name, KAFKA_BROKERS: 'kafka:9092' });
      expect(service?.healthcheck).toBeDefined();
    }
  });

  it('rejects a broken compose file (the validator is real)', () => {
    const broken = path.join(DEPLOY, '..', '.tmp', 'broken-compose.yml');
    writeFileSync(
      broken,
      'services:\n  kafka:\n    image: apache/kafka:3.9.1\n    ports: "not-a-list"\n    no_such_option: true\n',
    );
    expect(composeConfig(broken).status).not.toBe(0);
  });
});

describe('deploy/k8s manifests', () => {
  const documents = readdirSync(path.join(DEPLOY, 'k8s'))
    .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
    .flatMap((file) =>
      parseAllDocuments(readFileSync(path.join(DEPLOY, 'k8s', file), 'utf8')).map((doc) => {
        expect(doc.errors).toEqual([]);
        return doc.toJS() as {
          apiVersion?: string;
          kind?: string;
          metadata?: { name?: string };
          spec?: Record<string, unknown>;
        };
      }),
    );

  it('are valid documents with apiVersion, kind and name', () => {
    for (const doc of documents) {
      expect(doc.apiVersion).toBeTruthy();
      expect(doc.kind).toBeTruthy();
      expect(doc.metadata?.name).toBeTruthy();
    }
  });

  it('list every file in the kustomization', () => {
    const kustomization = parseAllDocuments(
      readFileSync(path.join(DEPLOY, 'k8s', 'kustomization.yaml'), 'utf8'),
    )[0]?.toJS() as { resources: string[] };
    const files = readdirSync(path.join(DEPLOY, 'k8s')).filter(
      (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
    );
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it.each(SERVICE_NAMES)(
    '%s runs with readiness on /health, liveness on /health/live and a metrics scrape',
    (name) => {
      const deployment = documents.find(
        (d) => d.kind === 'Deployment' && d.metadata?.name === name,
      ) as unknown as {
        spec: {
          template: {
            metadata: { annotations: Record<string, string> };
            spec: {
              containers: {
                readinessProbe: { httpGet: { path: string } };
                livenessProbe: { httpGet: { path: string } };
                env: { name: string; value?: string }[];
              }[];
            };
          };
        };
      };
      const container = deployment.spec.template.spec.containers[0];
      expect(container?.readinessProbe.httpGet.path).toBe('/health');
      expect(container?.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container?.env).toContainEqual({ name: 'SERVICE', value: name });
      expect(deployment.spec.template.metadata.annotations['prometheus.io/path']).toBe('/metrics');
    },
  );
});
