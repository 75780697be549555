import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avro, { type Resolver, type Type } from 'avsc';
import type { TopicSpec } from '@tokentally/contracts';
import { DecodeError, EncodeError } from './errors';

const MAGIC_BYTE = 0;
const HEADER_BYTES = 5;
export const DEFAULT_SCHEMAS_DIR = path.resolve(__dirname, '../../../../schemas');

interface WriterBinding {
  readonly id: number;
  readonly type: Type;
  readonly header: Buffer;
}

export type DecodeOutcome<T> = { ok: true; value: T; schemaId: number } | { ok: false; error: DecodeError };

/**
 * Avro values in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro body),
 * with schemas held by a Confluent-compatible registry under `<topic>-value`.
 *
 * Producers register the schema of `schemas/` for their topics (BACKWARD compatibility, enforced by
 * the registry) and encode synchronously with the id the registry gave. Consumers decode with their
 * own reader schema: the writer schema is fetched once per id and the reader/writer resolver is built
 * once per (topic, writer id), because rebuilding it per message is about 100x slower.
 */
export class AvroRegistry {
  private readonly client: SchemaRegistry;
  private readonly writers = new Map<string, WriterBinding>();
  private readonly readers = new Map<string, Type>();
  private readonly writerTypesById = new Map<number, Type>();
  private readonly resolvers = new Map<string, Resolver | undefined>();

  constructor(
    readonly url: string,
    private readonly schemasDir: string = DEFAULT_SCHEMAS_DIR,
  ) {
    this.client = new SchemaRegistry({ host: url, clientId: 'tokentally' });
  }

  /** Registers (or finds) the schema of each topic this process produces to. */
  async registerWriters(specs: readonly TopicSpec<unknown>[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const spec of specs) {
      const schema = this.readSchemaText(spec);
      const { id } = await this.client.register(
        { type: SchemaType.AVRO, schema },
        { subject: spec.subject, compatibility: COMPATIBILITY.BACKWARD },
      );
      const type = this.localType(spec);
      const header = Buffer.alloc(HEADER_BYTES);
      header.writeUInt8(MAGIC_BYTE, 0);
      header.writeUInt32BE(id, 1);
      this.writers.set(spec.name, { id, type, header });
      this.writerTypesById.set(id, type);
      ids.set(spec.name, id);
    }
    return ids;
  }

  /** Loads the reader schema of each topic this process consumes. No registry call is needed. */
  useReaders(specs: readonly TopicSpec<unknown>[]): void {
    for (const spec of specs) this.readers.set(spec.name, this.localType(spec));
  }

  encode<T>(spec: TopicSpec<T>, value: T): Buffer {
    const writer = this.writers.get(spec.name);
    if (!writer) throw new Error(`no writer schema registered for ${spec.name}: call registerWriters first`);
    try {
      return Buffer.concat([writer.header, writer.type.toBuffer(value)]);
    } catch {
      const invalidPaths: string[] = [];
      writer.type.isValid(value, { errorHook: (p: string[]) => invalidPaths.push(p.join('.')) });
      throw new EncodeError(spec.name, invalidPaths);
    }
  }

  /**
   * Decodes a batch: unknown writer ids are fetched from the registry once (in parallel), then every
   * message decodes synchronously. A message that cannot be decoded yields a DecodeError, never a throw,
   * so one bad message cannot stop a partition. Registry outages do throw: that is not the message's fault.
   */
  async decodeBatch<T>(spec: TopicSpec<T>, buffers: readonly (Buffer | null)[]): Promise<DecodeOutcome<T>[]> {
    const unknownIds = new Set<number>();
    for (const buffer of buffers) {
      const id = schemaIdOf(buffer);
      if (id !== undefined && !this.writerTypesById.has(id)) unknownIds.add(id);
    }
    const missing = new Set<number>();
    await Promise.all(
      [...unknownIds].map(async (id) => {
        const type = await this.fetchWriterType(id);
        if (type) this.writerTypesById.set(id, type);
        else missing.add(id);
      }),
    );
    return buffers.map((buffer) => this.decodeOne(spec, buffer, missing));
  }

  /** Readiness probe: the registry answers its subjects listing. */
  async ping(): Promise<string> {
    const response = await fetch(`${this.url}/subjects`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) throw new Error(`schema registry answered HTTP ${response.status}`);
    const subjects = (await response.json()) as unknown[];
    return `${subjects.length} subjects`;
  }

  private decodeOne<T>(spec: TopicSpec<T>, buffer: Buffer | null, missing: Set<number>): DecodeOutcome<T> {
    const id = schemaIdOf(buffer);
    if (buffer === null || id === undefined) {
      return { ok: false, error: new DecodeError('UNDECODABLE', describeNonWireFormat(buffer)) };
    }
    if (missing.has(id)) {
      return {
        ok: false,
        error: new DecodeError('UNKNOWN_SCHEMA', `schema id ${id} is not in the registry`),
      };
    }
    const reader = this.readers.get(spec.name);
    const writer = this.writerTypesById.get(id);
    if (!reader || !writer)
      throw new Error(`no reader schema loaded for ${spec.name}: call useReaders first`);
    try {
      const resolver = this.resolverFor(spec.name, id, reader, writer);
      const value = reader.fromBuffer(buffer.subarray(HEADER_BYTES), resolver) as T;
      return { ok: true, value, schemaId: id };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        error: new DecodeError('UNDECODABLE', `Avro body does not decode with schema ${id}: ${reason}`),
      };
    }
  }

  private resolverFor(topic: string, id: number, reader: Type, writer: Type): Resolver | undefined {
    const key = `${topic}@${id}`;
    if (!this.resolvers.has(key)) {
      // Same canonical schema: no resolver needed, decoding goes straight through.
      const same = reader.equals(writer);
      this.resolvers.set(key, same ? undefined : reader.createResolver(writer));
    }
    return this.resolvers.get(key);
  }

  private async fetchWriterType(id: number): Promise<Type | undefined> {
    try {
      return (await this.client.getSchema(id)) as unknown as Type;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 404) return undefined;
      throw error;
    }
  }

  private localType(spec: TopicSpec<unknown>): Type {
    return avro.Type.forSchema(JSON.parse(this.readSchemaText(spec)) as avro.Schema);
  }

  private readSchemaText(spec: TopicSpec<unknown>): string {
    return readFileSync(path.join(this.schemasDir, spec.schemaFile), 'utf8');
  }
}

function schemaIdOf(buffer: Buffer | null): number | undefined {
  if (!buffer || buffer.length < HEADER_BYTES || buffer[0] !== MAGIC_BYTE) return undefined;
  return buffer.readUInt32BE(1);
}

function describeNonWireFormat(buffer: Buffer | null): string {
  if (buffer === null) return 'message has no value (tombstone)';
  if (buffer.length < HEADER_BYTES)
    return `message of ${buffer.length} bytes is shorter than the 5-byte wire header`;
  return `message does not start with the Confluent magic byte 0 (first byte 0x${buffer[0]?.toString(16).padStart(2, '0')})`;
}
