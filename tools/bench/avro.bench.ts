import { TOPICS } from '@tokentally/contracts';
import { up } from '@tokentally/deploy';
import { KafkaHarness, buildRawCallEvent } from '@tokentally/testing';
import { rate } from './report';

export async function benchAvro(): Promise<void> {
  await up();
  const harness = new KafkaHarness();
  await harness.start();
  try {
    const topic = await harness.topic(TOPICS.rawCalls, 'bench');
    harness.registry.useReaders([topic]);
    const events = Array.from({ length: 100_000 }, (_, n) => buildRawCallEvent(n));
    let started = process.hrtime.bigint();
    const buffers = events.map((event) => harness.registry.encode(topic, event));
    const bytes = Math.round(buffers.reduce((sum, b) => sum + b.length, 0) / buffers.length);
    console.log(`encode: ${rate(events.length, started)} (${bytes} bytes/event)`);
    started = process.hrtime.bigint();
    const decoded = await harness.registry.decodeBatch(topic, buffers);
    console.log(`decode: ${rate(decoded.filter((d) => d.ok).length, started)}`);
  } finally {
    await harness.stop();
  }
}
