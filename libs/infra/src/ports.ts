import { createServer, type AddressInfo, type Server } from 'node:net';

/** Every local service binds the loopback interface only. */
export const LOCAL_HOST = '127.0.0.1';

export class PortInUseError extends Error {
  constructor(
    readonly service: string,
    readonly port: number,
  ) {
    super(
      `${service} cannot listen on ${LOCAL_HOST}:${port}: the port is already in use. ` +
        `Find what holds it with \`ss -ltnp 'sport = :${port}'\` (or \`lsof -iTCP:${port} -sTCP:LISTEN\`), ` +
        `stop that process (it may be a previous run that is still alive), or configure another port for ${service}.`,
    );
    this.name = 'PortInUseError';
  }
}

function listen(port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function isPortFree(port: number, host: string = LOCAL_HOST): Promise<boolean> {
  try {
    await close(await listen(port, host));
    return true;
  } catch (error) {
    if (isErrnoException(error) && (error.code === 'EADDRINUSE' || error.code === 'EACCES')) return false;
    throw error;
  }
}

export async function findFreePort(): Promise<number> {
  const [port] = await findFreePorts(1);
  return port;
}

/** Holds every probe socket until all are allocated, so the ports are distinct. */
export async function findFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listen(0, LOCAL_HOST));
    return servers.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map(close));
  }
}

export async function assertPortFree(service: string, port: number): Promise<void> {
  if (!(await isPortFree(port))) throw new PortInUseError(service, port);
}

// Not `instanceof Error`: errors raised by Node core come from another realm under Jest.
export function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return typeof error === 'object' && error !== null && 'code' in error;
}

export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
    return error.message;
  }
  return String(error);
}
