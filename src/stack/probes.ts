// Readiness probes for the embedded stack, and the wait loop that runs them against a child.
import * as http from 'http';
import * as net from 'net';
import type { Child } from './child';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** GET url and return the status code, or undefined when nothing answers. */
export function httpStatus(url: string, timeoutMs = 2000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function tcpOpen(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

// {ping: 1, $db: "admin"} as an OP_MSG: a wire-protocol answer proves more than an open port,
// without pulling a MongoDB driver into the launcher.
function pingMessage(): Buffer {
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    return b;
  };
  const elements = Buffer.concat([
    Buffer.from('\x10ping\0', 'latin1'),
    int32(1),
    Buffer.from('\x02$db\0', 'latin1'),
    int32(6),
    Buffer.from('admin\0', 'latin1'),
  ]);
  const doc = Buffer.concat([int32(elements.length + 5), elements, Buffer.from([0])]);
  const body = Buffer.concat([int32(0) /* flagBits */, Buffer.from([0]) /* section kind 0 */, doc]);
  return Buffer.concat([int32(16 + body.length), int32(1), int32(0), int32(2013), body]);
}

/** True when a MongoDB-protocol server on 127.0.0.1:port answers ping with ok: 1. */
export function mongoPing(port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let received = Buffer.alloc(0);
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write(pingMessage()));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < received.readInt32LE(0)) return;
      const okAt = received.indexOf(Buffer.from('\x01ok\0', 'latin1'), 21);
      finish(received.readInt32LE(12) === 2013 && okAt > 0 && received.readDoubleLE(okAt + 4) === 1);
    });
  });
}

export interface WaitOptions {
  /** What is awaited, for the error message, e.g. "MongoDB ping on 127.0.0.1:27017". */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * Runs probe until it returns true. Fails fast when the child exits, and on timeout; both
 * errors name the service and quote the end of its log.
 */
export async function waitUntilReady(child: Child, probe: () => Promise<boolean>, opts: WaitOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  const died = () => {
    const how = child.exit!.signal ? `was killed by ${child.exit!.signal}` : `exited with code ${child.exit!.code}`;
    return new Error(`${child.name} ${how} before it was ready (${opts.what}).${logExcerpt(child)}`);
  };
  for (;;) {
    if (child.exit) throw died();
    if (await probe()) return;
    if (child.exit) throw died();
    if (Date.now() > deadline) {
      throw new Error(
        `${child.name} was not ready within ${Math.round(opts.timeoutMs / 1000)} s (${opts.what}).${logExcerpt(child)}`,
      );
    }
    await Promise.race([sleep(opts.intervalMs ?? 100), child.exited]);
  }
}

export function logExcerpt(child: Child): string {
  const tail = child.tail();
  return `\nLast lines of its log ${child.logFile}:\n${tail ? tail.replace(/^/gm, '  ') : '  (nothing)'}`;
}
