import { stopTestInfra, takeSharedSystem, takeTestInfra } from './test-infra';

export default async function globalTeardown(): Promise<void> {
  // The services first, then what they depend on: no service sees Redis or PostgreSQL go away.
  await takeSharedSystem()?.stop();
  const infra = takeTestInfra();
  if (infra) await stopTestInfra(infra);
}
