import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { INestApplication } from '@nestjs/common';
import { QUEUES } from '@procura/contracts';
import { QueueRegistry } from '@procura/messaging';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../auth/auth.guard';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board for operators: every queue, its failed (dead-letter) jobs and a retry
 * button. Browsers cannot send a bearer header, so it asks for HTTP Basic credentials
 * with the operator key as password.
 */
export async function mountQueueDashboard(app: INestApplication): Promise<void> {
  const registry = app.get(QueueRegistry);
  const auth = app.get(Authenticator);
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: Object.values(QUEUES).map((name) => new BullMQAdapter(registry.get(name))), serverAdapter });

  const refuse = (reply: FastifyReply, message: string) =>
    reply
      .status(401)
      .header('WWW-Authenticate', 'Basic realm="Procura queues", charset="UTF-8"')
      .type('text/plain; charset=utf-8')
      .send(message);
  const basicAuth = async (req: FastifyRequest, reply: FastifyReply) => {
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    const password = scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString('utf8').split(':').slice(1).join(':') : '';
    if (!password) return refuse(reply, 'Operator key required (user: operator, password: your operator key)');
    try {
      await auth.authenticateOperator(password);
    } catch {
      return refuse(reply, 'Invalid operator key');
    }
  };
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', basicAuth);
      await scope.register(serverAdapter.registerPlugin() as never);
    },
    { prefix: QUEUE_DASHBOARD_PATH },
  );
}
