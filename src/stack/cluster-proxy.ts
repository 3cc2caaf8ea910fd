// The cluster's one public address for its API processes: a TCP proxy that hands each connection to
// the next API in turn, and to the one after when that one refuses (stopped, crashed, restarting), as a
// load balancer in front of several API instances would. Links in emails carry this address.
import * as net from 'net';

export interface RoundRobinProxy {
  url: string;
  close(): Promise<void>;
}

export function startRoundRobinProxy(port: number, backends: number[]): Promise<RoundRobinProxy> {
  let next = 0;
  const open = new Set<net.Socket>();
  const connect = (client: net.Socket, tried: number) => {
    if (tried === backends.length) {
      client.destroy();
      return;
    }
    const backendPort = backends[next];
    next = (next + 1) % backends.length;
    const upstream = net.connect({ port: backendPort, host: '127.0.0.1' });
    open.add(upstream);
    upstream.once('close', () => open.delete(upstream));
    const refused = () => connect(client, tried + 1);
    upstream.once('error', refused);
    upstream.once('connect', () => {
      upstream.removeListener('error', refused);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
    });
  };
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    connect(client, 0);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            for (const socket of open) socket.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}
