import { TOPICS } from '@tokentally/contracts';
import { SERVICE_NAMES } from '@tokentally/platform-config';
import { KafkaHarness, stackEnv } from '@tokentally/testing';
import { ServiceProcess } from './service-process';

describe('walking skeleton: every service boots on the real stack', () => {
  // Groups of their own, started at the topics' ends: booting must not price the shared topics' backlog.
  const group = (name: string): string => `it-services-${name}`;
  const services = SERVICE_NAMES.map(
    (name, index) =>
      new ServiceProcess(name, 3201 + index, {
        DATABASE_URL: stackEnv.databaseUrl,
        LOG_LEVEL: 'info',
        KAFKA_CONSUMER_GROUP: group(name),
      }),
  );
  const harness = new KafkaHarness();

  beforeAll(async () => {
    await harness.start();
    await harness.skipToEnd(group('enricher'), TOPICS.rawCalls.name);
    await harness.skipToEnd(group('pricer'), TOPICS.enrichedCalls.name);
    await harness.skipToEnd(group('anomaly-detector'), TOPICS.pricedCalls.name);
    services.forEach((service) => service.start());
  });
  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop(5000)));
    await harness.stop();
  });

  it.each(services.map((service) => [service.name, service] as const))(
    '%s answers /health with every dependency up and /metrics in Prometheus format',
    async (name, service) => {
      await service.healthy();
      const health = (await (await fetch(`${service.url}/health`)).json()) as {
        status: string;
        service: string;
        checks: Record<string, { status: string }>;
      };
      expect(health.status).toBe('up');
      expect(health.service).toBe(name);
      expect(Object.keys(health.checks)).toEqual(expect.arrayContaining(['kafka', 'schema-registry']));
      for (const check of Object.values(health.checks)) expect(check.status).toBe('up');

      const metrics = await fetch(`${service.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/text\/plain/);
      const text = await metrics.text();
      expect(text).toContain('# TYPE tokentally_events_in_total counter');
      expect(text).toContain('# TYPE tokentally_consumer_lag gauge');
      expect(text).toMatch(new RegExp(`process_cpu_user_seconds_total\\{service="${name}"\\}`));
    },
  );

  it('dependencies match what each service uses', async () => {
    const checksOf = async (service: ServiceProcess): Promise<string[]> =>
      Object.keys(
        ((await (await fetch(`${service.url}/health`)).json()) as { checks: object }).checks,
      ).sort();
    // topic names carry the suites' prefix (TOKENTALLY_TOPIC_PREFIX), so they come from the registry
    const consuming = (topic: string): string[] =>
      [`consumer:${topic}`, 'kafka', 'postgres', 'redis', 'schema-registry'].sort();
    expect(await checksOf(services[0] as ServiceProcess)).toEqual(consuming(TOPICS.rawCalls.name));
    expect(await checksOf(services[1] as ServiceProcess)).toEqual(consuming(TOPICS.enrichedCalls.name));
    expect(await checksOf(services[2] as ServiceProcess)).toEqual(consuming(TOPICS.pricedCalls.name));
    expect(await checksOf(services[3] as ServiceProcess)).toEqual(['kafka', 'postgres', 'schema-registry']);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const codes = await Promise.all(services.map((service) => service.stop()));
    expect(codes).toEqual(services.map(() => 0));
    for (const service of services) {
      const log = service.output.join('');
      expect(log).toMatch(/"msg":"stopping","signal":"SIGTERM"/);
      expect(log).toMatch(/"msg":"stopped"/);
    }
  });
});
