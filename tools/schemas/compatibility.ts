import avro from 'avsc';

export interface CompatibilityReport {
  /** A reader with the new schema cannot read data written with the old one. */
  backward: string[];
  /** A reader still on the old schema cannot read data written with the new one. */
  forward: string[];
}

function canRead(reader: avro.Schema, writer: avro.Schema): string[] {
  try {
    avro.Type.forSchema(reader).createResolver(avro.Type.forSchema(writer));
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

/**
 * Avro schema resolution in both directions. The registry enforces BACKWARD (new readers read old
 * data); the repository requires FULL, because producers and consumers of a topic deploy
 * independently and a consumer on the previous schema must keep reading what a new producer writes.
 */
export function checkCompatibility(previous: avro.Schema, next: avro.Schema): CompatibilityReport {
  return { backward: canRead(next, previous), forward: canRead(previous, next) };
}
