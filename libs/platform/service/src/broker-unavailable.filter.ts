import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { BrokerUnavailableError } from '@tokentally/platform-kafka';

/** The slice of the platform's (express) response used here. */
interface HttpResponse {
  status(code: number): { setHeader(name: string, value: string): unknown; json(body: unknown): void };
  headersSent?: boolean;
}

/**
 * Broker down on a request path: 503 with Retry-After and a body that says so, within the producer's
 * deadline, instead of a bare 500 after kafkajs's retries. Clients (and the SDK) retry on it; nothing
 * was acknowledged, and a resend is safe because consumers deduplicate by event_id.
 */
@Catch(BrokerUnavailableError)
export class BrokerUnavailableFilter implements ExceptionFilter {
  catch(error: BrokerUnavailableError, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const response = host.switchToHttp().getResponse<HttpResponse>();
    if (response.headersSent) return;
    const seconds = String(error.retryAfterSeconds);
    const reply = response.status(503);
    reply.setHeader('Retry-After', seconds);
    reply.json({
      error: 'broker_unavailable',
      message: `${error.message}; nothing was accepted, retry after ${seconds} s`,
    });
  }
}
