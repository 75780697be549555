import { randomBytes } from 'node:crypto';
import type { TopicSpec } from '@tokentally/contracts';

/**
 * A private copy of a contract topic for one test run (same schema, own name and subject), so suites
 * read only what they wrote and never depend on what earlier runs left in the shared topics.
 */
export function isolatedTopic<T>(spec: TopicSpec<T>, label: string): TopicSpec<T> {
  const name = `test.${label}.${randomBytes(4).toString('hex')}.${spec.name}`;
  return { ...spec, name, subject: `${name}-value` };
}
