import 'reflect-metadata';
import { loadConfig } from '@procura/config';
import { createGateway } from './bootstrap-gateway';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig('gateway');
  } catch (error) {
    process.stderr.write(`gateway: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  try {
    const app = await createGateway(config);
    await app.listen(config.httpPort, '0.0.0.0');
  } catch (error) {
    process.stderr.write(`gateway could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

void main();
