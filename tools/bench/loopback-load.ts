import net from 'node:net';

/**
 * An open-loop HTTP/1.1 load generator over raw keep-alive sockets, in the spirit of wrk2: on a 2-core
 * box the client shares the CPU with the server under test, and Node's `http` client costs more per
 * request than the route it measures. Each connection carries one request at a time (no pipelining,
 * as a gateway's pool would); latency runs from the request's *scheduled* time, so a server that
 * falls behind is charged for the queue it causes (no coordinated omission).
 */
export interface LoadResult {
  answered: number;
  errors: number;
  seconds: number;
  /** Latencies in ms, sorted ascending. */
  latencies: number[];
}

interface Connection {
  socket: net.Socket;
  buffer: Buffer;
  scheduledAt: bigint | null;
}

export async function openLoop(options: {
  port: number;
  connections: number;
  perSecond: number;
  seconds: number;
  /** The i-th request's bytes (a full HTTP/1.1 request with Content-Length). */
  request: (i: number) => Buffer;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const idle: Connection[] = [];
  const backlog: bigint[] = [];
  const total = Math.round(options.perSecond * options.seconds);
  let sent = 0;
  let done = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const dispatch = (connection: Connection, scheduledAt: bigint): void => {
    connection.scheduledAt = scheduledAt;
    connection.socket.write(options.request(sent++));
  };
  const onResponse = (connection: Connection, ok: boolean): void => {
    latencies.push(Number(process.hrtime.bigint() - (connection.scheduledAt ?? 0n)) / 1e6);
    if (!ok) errors += 1;
    connection.scheduledAt = null;
    done += 1;
    if (done === total) finish();
    const next = backlog.shift();
    if (next !== undefined) dispatch(connection, next);
    else idle.push(connection);
  };

  const connections = await Promise.all(
    Array.from({ length: options.connections }, () => connect(options.port, onResponse)),
  );
  idle.push(...connections);
  const started = process.hrtime.bigint();
  const intervalNs = BigInt(Math.round(1e9 / options.perSecond));
  let scheduled = 0;
  const tick = setInterval(() => {
    const due = Number((process.hrtime.bigint() - started) / intervalNs) + 1;
    for (; scheduled < Math.min(due, total); scheduled++) {
      const at = started + BigInt(scheduled) * intervalNs;
      const connection = idle.pop();
      if (connection) dispatch(connection, at);
      else backlog.push(at);
    }
    if (scheduled >= total) clearInterval(tick);
  }, 1);
  await finished;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const connection of connections) connection.socket.destroy();
  latencies.sort((a, b) => a - b);
  return { answered: done, errors, seconds, latencies };
}

function connect(
  port: number,
  onResponse: (connection: Connection, ok: boolean) => void,
): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    const connection: Connection = { socket, buffer: Buffer.alloc(0), scheduledAt: null };
    socket.once('error', reject);
    socket.once('connect', () => resolve(connection));
    socket.on('data', (chunk: Buffer) => {
      connection.buffer = connection.buffer.length === 0 ? chunk : Buffer.concat([connection.buffer, chunk]);
      for (;;) {
        const end = connection.buffer.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = connection.buffer.subarray(0, end).toString('latin1');
        const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (connection.buffer.length < end + 4 + length) return;
        connection.buffer = connection.buffer.subarray(end + 4 + length);
        onResponse(connection, head.startsWith('HTTP/1.1 200'));
      }
    });
  });
}

/** A POST with a JSON body and a bearer token, as raw bytes. */
export function jsonPost(path: string, token: string, body: object): Buffer {
  const payload = Buffer.from(JSON.stringify(body));
  return Buffer.concat([
    Buffer.from(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n`,
    ),
    payload,
  ]);
}
