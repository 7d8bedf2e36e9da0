import { Redis } from 'ioredis';

/**
 * A Redis database of the run's server for one test file or system (1 to 15, in turn, by a
 * counter in Redis): queues and RPC lists of parallel files do not meet.
 */
export async function scratchRedisUrl(): Promise<string> {
  const base = process.env.REDIS_URL;
  if (!base) throw new Error('REDIS_URL is not set: run the tests through jest (the global setup sets it)');
  const counter = new Redis(base);
  const dbIndex = ((await counter.incr('procura:test:redis-db')) % 15) + 1;
  counter.disconnect();
  const url = new URL(base);
  url.pathname = `/${dbIndex}`;
  return url.toString();
}
