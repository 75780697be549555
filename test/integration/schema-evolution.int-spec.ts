import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOPICS, type RawCallEvent, type TopicSpec } from '@tokentally/contracts';
import { AvroRegistry, DEFAULT_SCHEMAS_DIR } from '@tokentally/platform-kafka';
import { buildRawCallEvent, KafkaHarness, stackEnv } from '@tokentally/testing';

/** A schemas folder where raw-call-event.avsc has gained an optional field (a compatible change). */
function evolvedSchemasDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'schemas-v2-'));
  const schema = JSON.parse(
    readFileSync(path.join(DEFAULT_SCHEMAS_DIR, TOPICS.rawCalls.schemaFile), 'utf8'),
  ) as {
    fields: unknown[];
  };
  schema.fields.push({ name: 'cost_centre', type: ['null', 'string'], default: null, doc: 'added in v2' });
  writeFileSync(path.join(dir, TOPICS.rawCalls.schemaFile), JSON.stringify(schema));
  return dir;
}

describe('schema evolution through the registry', () => {
  const harness = new KafkaHarness();
  let topic: TopicSpec<RawCallEvent>;

  beforeAll(async () => {
    await harness.start();
    topic = await harness.topic(TOPICS.rawCalls, 'evolution');
  });
  afterAll(() => harness.stop());

  it('registers a compatible v2 under the same subject and old readers decode it through a resolver', async () => {
    const v2 = new AvroRegistry(stackEnv.registryUrl, evolvedSchemasDir());
    const ids = await v2.registerWriters([topic]);
    const v1Id = (await harness.registry.registerWriters([topic])).get(topic.name);
    expect(ids.get(topic.name)).not.toBe(v1Id);

    const event = buildRawCallEvent(7);
    const written = v2.encode(topic, { ...event, cost_centre: 'CC-42' } as RawCallEvent);
    const reader = new AvroRegistry(stackEnv.registryUrl);
    reader.useReaders([topic]);
    const [decoded] = await reader.decodeBatch(topic, [written, harness.registry.encode(topic, event)]);
    expect(decoded).toMatchObject({ ok: true, schemaId: ids.get(topic.name) });
    expect(decoded?.ok && decoded.value).toEqual(event); // the v1 reader ignores the new field
  });

  it('the registry refuses an incompatible version (a required field without default)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'schemas-bad-'));
    const schema = JSON.parse(
      readFileSync(path.join(DEFAULT_SCHEMAS_DIR, TOPICS.rawCalls.schemaFile), 'utf8'),
    ) as {
      fields: unknown[];
    };
    schema.fields.push({ name: 'must_have', type: 'string' });
    writeFileSync(path.join(dir, TOPICS.rawCalls.schemaFile), JSON.stringify(schema));
    await expect(new AvroRegistry(stackEnv.registryUrl, dir).registerWriters([topic])).rejects.toThrow(
      /ncompatib/,
    );
  });
});
