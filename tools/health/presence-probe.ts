/**
 * Liveness of a back-end service replica for an orchestrator's exec probe
 * (`node dist/tools/health/presence-probe.js <service>`, deploy/kubernetes): exits 0 while
 * this replica's heartbeat in the RPC presence set is current, the same record the
 * gateway's /health counts as a live replica. The services listen on no port (RPC goes
 * through Redis lists), so the heartbeat is their health. Reads REDIS_URL and INSTANCE_ID
 * (the pod name) from the container's environment.
 */
import { RPC_SERVICES, RpcServiceName } from '@procura/contracts';
import { rpcKeys } from '@procura/messaging';
import { Redis } from 'ioredis';

async function main(): Promise<number> {
  const service = process.argv[2] as RpcServiceName;
  const { REDIS_URL: redisUrl, INSTANCE_ID: instanceId } = process.env;
  if (!RPC_SERVICES.includes(service) || !redisUrl || !instanceId) {
    process.stderr.write(`usage: INSTANCE_ID=… REDIS_URL=… presence-probe <${RPC_SERVICES.join('|')}>\n`);
    return 2;
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 3000, lazyConnect: true });
  try {
    await redis.connect();
    const expiresAt = Number(await redis.zscore(rpcKeys.presence(service), instanceId));
    if (expiresAt > Date.now()) return 0;
    process.stderr.write(`${service} ${instanceId}: no current heartbeat\n`);
    return 1;
  } finally {
    redis.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`presence probe failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
