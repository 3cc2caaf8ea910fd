import * as net from 'net';

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Throws when something already listens on 127.0.0.1:port. `variable` is the setting that
 * chooses the port, `service` what wanted it:
 * "port 7233 (TEMPORAL_PORT, Temporal dev server) is already in use; set TEMPORAL_PORT to another port".
 */
export function assertPortFree(port: number, service: string, variable?: string): Promise<void> {
  const label = variable ? `${variable}, ${service}` : service;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') {
        const why = err.code === 'EADDRINUSE' ? 'is already in use' : 'cannot be opened (permission denied)';
        const fix = variable ? `; set ${variable} to another port` : '';
        reject(new Error(`port ${port} (${label}) ${why}${fix}`));
      } else {
        reject(new Error(`port ${port} (${label}): ${err.message}`));
      }
    });
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve()));
  });
}
