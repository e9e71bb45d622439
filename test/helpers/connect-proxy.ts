// A forwarding HTTP proxy for tests: answers CONNECT host:port by opening a tunnel to one fixed local
// port (the simulator's), whatever host was asked for, and logs each request it was given.
import { createServer } from 'node:http';
import { connect } from 'node:net';

export interface TestProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  /** One entry per CONNECT: the host:port asked for and the Proxy-Authorization header, if any. */
  seen: { target: string; auth?: string }[];
  close(): void;
}

/** `refuseWith` (e.g. '403 Forbidden'): answer every CONNECT with that status instead of a tunnel. */
export async function startConnectProxy(toPort: number, refuseWith?: string): Promise<TestProxy> {
  const seen: TestProxy['seen'] = [];
  const proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, sock, head) => {
    seen.push({ target: req.url!, auth: req.headers['proxy-authorization'] });
    if (refuseWith) return void sock.end(`HTTP/1.1 ${refuseWith}\r\nContent-Length: 0\r\n\r\n`);
    const up = connect(toPort, '127.0.0.1', () => {
      sock.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(sock).pipe(up);
    });
    up.on('error', () => sock.destroy());
    sock.on('error', () => up.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, seen, close: () => proxy.close() };
}
