// A SOCKS5 proxy for tests (RFC 1928 CONNECT; RFC 1929 user name and password when `auth` is given):
// every tunnel goes to one fixed local port (the simulator's), whatever address was asked for, and each
// CONNECT is logged with the address as the client sent it.
import { connect, createServer, type Socket } from 'node:net';

export interface TestSocksProxy {
  /** socks5://127.0.0.1:PORT */
  url: string;
  /** One entry per CONNECT: the address as sent (a name, or an IP) with its port, and the user name, if any. */
  seen: { target: string; user?: string }[];
  close(): void;
}

export interface SocksProxyOptions {
  /** Require this user name and password (method 2); without it, no authentication (method 0). */
  auth?: { user: string; password: string };
  /** Answer every CONNECT with this REP code (e.g. 5, connection refused) instead of a tunnel. */
  reply?: number;
}

/** Reads exactly n bytes. */
function take(sock: Socket, n: number, state: { buf: Buffer }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (state.buf.length < n) return false;
      const out = state.buf.subarray(0, n);
      state.buf = state.buf.subarray(n);
      sock.off('data', onData);
      sock.off('close', onClose);
      resolve(out);
      return true;
    };
    const onData = (d: Buffer) => {
      state.buf = Buffer.concat([state.buf, d]);
      check();
    };
    const onClose = () => reject(new Error('closed'));
    if (check()) return;
    sock.on('data', onData);
    sock.on('close', onClose);
  });
}

export async function startSocksProxy(toPort: number, o: SocksProxyOptions = {}): Promise<TestSocksProxy> {
  const seen: TestSocksProxy['seen'] = [];
  const server = createServer(async (sock) => {
    sock.on('error', () => {});
    const st = { buf: Buffer.alloc(0) };
    try {
      const [, n] = await take(sock, 2, st);
      const methods = [...(await take(sock, n!, st))];
      const method = o.auth ? 2 : 0;
      if (!methods.includes(method)) return void sock.end(Buffer.from([5, 0xff]));
      sock.write(Buffer.from([5, method]));
      let user: string | undefined;
      if (o.auth) {
        const [, ulen] = await take(sock, 2, st);
        user = (await take(sock, ulen!, st)).toString();
        const [plen] = await take(sock, 1, st);
        const password = (await take(sock, plen!, st)).toString();
        const ok = user === o.auth.user && password === o.auth.password;
        sock.write(Buffer.from([1, ok ? 0 : 1]));
        if (!ok) return void sock.end();
      }
      const [, cmd, , atyp] = await take(sock, 4, st);
      let host: string;
      if (atyp === 1) host = [...(await take(sock, 4, st))].join('.');
      else if (atyp === 3) host = (await take(sock, (await take(sock, 1, st))[0]!, st)).toString();
      else {
        const b = await take(sock, 16, st);
        host = `[${Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2).toString(16)).join(':')}]`;
      }
      const port = (await take(sock, 2, st)).readUInt16BE(0);
      seen.push({ target: `${host}:${port}`, user });
      const answer = (rep: number) => Buffer.from([5, rep, 0, 1, 127, 0, 0, 1, 0, 0]);
      if (cmd !== 1) return void sock.end(answer(7));
      if (o.reply) return void sock.end(answer(o.reply));
      const up = connect(toPort, '127.0.0.1', () => {
        sock.write(answer(0));
        if (st.buf.length) up.write(st.buf);
        up.pipe(sock).pipe(up);
      });
      up.on('error', () => sock.destroy());
      sock.on('close', () => up.destroy());
    } catch {
      sock.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `socks5://127.0.0.1:${port}`, seen, close: () => server.close() };
}
