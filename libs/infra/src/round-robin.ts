import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyHttpProxyOptions } from '@fastify/http-proxy';
import { LOCAL_HOST } from './ports';

export interface RoundRobinOptions {
  /** Where the balancer listens (loopback). */
  port: number;
  /** Base URLs of the replicas, e.g. `http://127.0.0.1:3001`. */
  upstreams: string[];
  /** How long a replica that refused a connection is left out of the rotation. */
  downForMs?: number;
}

export interface RoundRobin {
  url: string;
  /** Requests sent to each upstream so far, in the order of `upstreams`. */
  served(): number[];
  stop(): Promise<void>;
}

const CHOSEN = Symbol('procura.roundRobin.upstream');
type RoutedRequest = FastifyRequest & { [CHOSEN]?: number };

/**
 * A small HTTP round-robin in front of the gateway replicas (`npm run start:cluster`, the
 * replica tests, the soak): @fastify/http-proxy streams bodies through untouched, the
 * rotation and the "left out while refusing" rule are ours (reply-from's balanced pool
 * weighs upstreams instead of alternating). A replica that cannot be reached answers as
 * the gateway does when a service is down: 503 problem+json, never a 500.
 */
export async function startRoundRobin(options: RoundRobinOptions): Promise<RoundRobin> {
  if (options.upstreams.length === 0) throw new Error('the round-robin needs at least one upstream');
  const downForMs = options.downForMs ?? 2000;
  const downUntil = options.upstreams.map(() => 0);
  const served = options.upstreams.map(() => 0);
  let next = 0;

  const pick = (): number => {
    const now = Date.now();
    for (let tried = 0; tried < options.upstreams.length; tried++) {
      const i = next;
      next = (next + 1) % options.upstreams.length;
      if (downUntil[i] <= now) return i;
    }
    // All left out: try the next one anyway rather than refusing outright.
    const i = next;
    next = (next + 1) % options.upstreams.length;
    return i;
  };

  // Loaded lazily: a development tool's dependency, never needed by the services.
  const { default: fastify } = await import('fastify');
  const { fastifyHttpProxy } = await import('@fastify/http-proxy');
  const app: FastifyInstance = fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  const proxyOptions: FastifyHttpProxyOptions = {
    upstream: '',
    replyOptions: {
      getUpstream(request) {
        const i = pick();
        (request as RoutedRequest)[CHOSEN] = i;
        served[i]++;
        return options.upstreams[i];
      },
      onError(reply, { error }) {
        const i = (reply.request as RoutedRequest)[CHOSEN];
        const cause = error.cause as { code?: string } | undefined;
        if (i !== undefined && cause?.code === 'ECONNREFUSED') downUntil[i] = Date.now() + downForMs;
        void reply.code(503).header('content-type', 'application/problem+json').header('retry-after', '1').send({
          type: 'about:blank',
          title: 'Service Unavailable',
          status: 503,
          code: 'SERVICE_UNAVAILABLE',
          service: 'gateway',
          detail: 'The gateway replica chosen for this request could not be reached; retry.',
        });
      },
    },
  };
  await app.register(fastifyHttpProxy, proxyOptions as Parameters<typeof fastifyHttpProxy>[1]);
  await app.listen({ port: options.port, host: LOCAL_HOST });
  return {
    url: `http://${LOCAL_HOST}:${options.port}`,
    served: () => [...served],
    stop: () => app.close(),
  };
}
