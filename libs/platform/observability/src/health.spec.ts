import { HealthRegistry } from './health';

describe('HealthRegistry', () => {
  it('is up only when every dependency answers', async () => {
    const health = new HealthRegistry();
    health.register('kafka', async () => 'broker 1');
    health.register('postgres', async () => undefined);
    expect((await health.report()).status).toBe('up');

    health.register('redis', async () => {
      throw new Error('ECONNREFUSED 127.0.0.1:6379');
    });
    const report = await health.report();
    expect(report.status).toBe('down');
    expect(report.checks['redis']).toMatchObject({ status: 'down', detail: 'ECONNREFUSED 127.0.0.1:6379' });
    expect(report.checks['kafka']).toMatchObject({ status: 'up', detail: 'broker 1' });
  });

  it('bounds a hung check with a timeout', async () => {
    const health = new HealthRegistry();
    health.register('registry', () => new Promise(() => undefined));
    const report = await health.report(20);
    expect(report.checks['registry']).toMatchObject({
      status: 'down',
      detail: expect.stringMatching(/within 20 ms/),
    });
  });
});
