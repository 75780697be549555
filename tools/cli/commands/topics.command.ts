import type { Command } from 'commander';
import { z } from 'zod';
import { ALL_TOPICS } from '@tokentally/contracts';
import { kafkaEnv, loadConfig } from '@tokentally/platform-config';
import { createKafkaClient } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';

export function registerTopicsCommands(program: Command): void {
  const topics = program.command('topics').description('Kafka topics of the contract registry');
  topics
    .command('list')
    .description('every contract topic with its partitions, retention and message count')
    .action(async () => {
      const config = loadConfig('tally topics', z.object(kafkaEnv));
      const admin = createKafkaClient({
        clientId: 'tally',
        brokers: config.KAFKA_BROKERS,
        logger: silentLogger,
      }).admin();
      await admin.connect();
      try {
        const existing = new Set(await admin.listTopics());
        console.log(
          `${'topic'.padEnd(30)} ${'partitions'.padStart(10)} ${'retention'.padStart(10)} ${'messages'.padStart(10)}  key`,
        );
        for (const spec of ALL_TOPICS) {
          let messages = 'missing';
          if (existing.has(spec.name)) {
            const offsets = await admin.fetchTopicOffsets(spec.name);
            messages = String(offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0));
          }
          const days = `${Math.round(spec.retentionMs / 86_400_000)}d`;
          console.log(
            `${spec.name.padEnd(30)} ${String(spec.partitions).padStart(10)} ${days.padStart(10)} ${messages.padStart(10)}  ${spec.keyDescription}`,
          );
        }
      } finally {
        await admin.disconnect();
      }
    });
}
