import { Writable } from 'node:stream';
import { createLogger, JsonLogger } from './logger';
import { requestContext } from './request-context';

function capture(): { lines: () => Array<Record<string, unknown>>; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe(JsonLogger.name, () => {
  it('writes one JSON line per entry with the request id of the current context', () => {
    const out = capture();
    const logger = new JsonLogger(createLogger('identity', 'info', out.stream));
    requestContext.run({ requestId: 'req-12345678' }, () => logger.log('company created', 'CompaniesService'));
    const [line] = out.lines();
    expect(line).toMatchObject({
      service: 'identity',
      level: 'info',
      msg: 'company created',
      context: 'CompaniesService',
      requestId: 'req-12345678',
    });
  });

  it('writes nothing below the level, and keeps context and request id per line for a reused context', () => {
    const out = capture();
    const logger = new JsonLogger(createLogger('gateway', 'warn', out.stream));
    requestContext.run({ requestId: 'req-aaaaaaaa' }, () => logger.log({ msg: 'request' }, 'Http'));
    requestContext.run({ requestId: 'req-bbbbbbbb' }, () => logger.warn({ msg: 'slow', token: 'secret-token-1' }, 'Http'));
    requestContext.run({ requestId: 'req-cccccccc' }, () => logger.warn('slower', 'Http'));
    const lines = out.lines();
    expect(lines.map((l) => [l.msg, l.context, l.requestId])).toEqual([
      ['slow', 'Http', 'req-bbbbbbbb'],
      ['slower', 'Http', 'req-cccccccc'],
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret-token-1');
  });

  it('redacts secrets wherever they appear in a logged object', () => {
    const out = capture();
    const logger = createLogger('identity', 'info', out.stream);
    logger.info({ body: { loginId: '12345678901234', password: 'hunter2-secret' }, provisionalPassword: 'Xy7-secret' }, 'login');
    const text = JSON.stringify(out.lines());
    expect(text).not.toContain('hunter2-secret');
    expect(text).not.toContain('Xy7-secret');
    expect(text).toContain('12345678901234');
  });
});
