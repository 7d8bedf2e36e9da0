import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { INestApplication } from '@nestjs/common';
import { QUEUES } from '@procura/contracts';
import { QueueRegistry } from '@procura/messaging';
import type { RequestHandler } from 'express';
import { Authenticator } from '../auth/auth.guard';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board for operators: every queue, its failed (dead-letter) jobs and a retry
 * button. Browsers cannot send a bearer header, so it asks for HTTP Basic credentials
 * with the operator key as password.
 */
export function mountQueueDashboard(app: INestApplication): void {
  const registry = app.get(QueueRegistry);
  const auth = app.get(Authenticator);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: Object.values(QUEUES).map((name) => new BullMQAdapter(registry.get(name))), serverAdapter });

  const basicAuth: RequestHandler = (req, res, next) => {
    const [scheme, encoded] = (req.header('authorization') ?? '').split(' ');
    const password = scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString('utf8').split(':').slice(1).join(':') : '';
    if (!password) {
      res.setHeader('WWW-Authenticate', 'Basic realm="Procura queues", charset="UTF-8"');
      res.status(401).send('Operator key required (user: operator, password: your operator key)');
      return;
    }
    auth.authenticateOperator(password).then(
      () => next(),
      () => {
        res.setHeader('WWW-Authenticate', 'Basic realm="Procura queues", charset="UTF-8"');
        res.status(401).send('Invalid operator key');
      },
    );
  };
  app.use(QUEUE_DASHBOARD_PATH, basicAuth, serverAdapter.getRouter());
}
