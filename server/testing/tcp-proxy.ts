import net from "node:net";

/**
 * A TCP proxy in front of a real service (PostgreSQL, Redis) that a test can break on purpose, for its own process
 * only: the shared servers other runs use are never touched. Real bytes flow both ways; nothing is mocked.
 * - `freeze()`: the service stops answering (a hung server, a network that drops packets): connections stay open, new
 *   ones are accepted, and every byte is held until `thaw()` delivers it. Start with `frozen: true` for a service
 *   that accepts connections and never says a word.
 * - `cut()`: the service is gone (a restart, a crash): every connection is closed and new ones are refused, until
 *   `restore()` listens again on the same port.
 *
 * Only Node's own modules: e2e specs load it too.
 */
export type TcpProxy = {
  readonly port: number;
  freeze(): void;
  thaw(): void;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
};

export async function startTcpProxy(options: { host: string; port: number; frozen?: boolean }): Promise<TcpProxy> {
  let frozen = options.frozen ?? false;
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  /** Sends a chunk on, or holds it while frozen. */
  const forward = (to: net.Socket) => (chunk: Buffer) => {
    if (frozen) held.push(() => to.write(chunk));
    else to.write(chunk);
  };
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    // A peer that resets its end is an ordinary event for a proxy; without a listener it would throw.
    socket.on("error", () => socket.destroy());
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(options.port, options.host);
    track(client);
    track(upstream);
    client.on("data", forward(upstream));
    upstream.on("data", forward(client));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const stopListening = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const port = await listen(0);

  return {
    port,
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const deliver of held.splice(0)) deliver();
    },
    async cut() {
      const closed = stopListening();
      for (const socket of sockets) socket.destroy();
      held.length = 0;
      await closed;
    },
    async restore() {
      if (!server.listening) await listen(port);
    },
    async close() {
      const closed = stopListening();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
