import { Kafka, logLevel as KafkaLogLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '@tokentally/platform-observability';

export interface KafkaClientOptions {
  clientId: string;
  brokers: string[];
  logger: Logger;
  connectionTimeoutMs?: number;
}

/**
 * The one place a kafkajs client is built. Every Kafka call of the project goes through this library,
 * so a move to another client (librdkafka-based, say) stays a one-library change.
 */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    logLevel: KafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...fields } = entry;
        if (level <= KafkaLogLevel.ERROR) log.error(message, fields);
        else if (level === KafkaLogLevel.WARN) log.warn(message, fields);
        else log.debug(message, fields);
      },
  });
}
