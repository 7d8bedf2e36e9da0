import { stopTestInfra, takeTestInfra } from './test-infra';

export default async function globalTeardown(): Promise<void> {
  const infra = takeTestInfra();
  if (infra) await stopTestInfra(infra);
}
