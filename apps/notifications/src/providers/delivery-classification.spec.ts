import { PermanentDeliveryError, TransientDeliveryError } from './delivery-errors';
import { classifySmtpError } from './mail-sender';
import { fillTemplate } from './sms-provider';

describe('provider failures', () => {
  it('gives up on an SMTP 5xx refusal and retries everything that may pass later', () => {
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' })).toBeInstanceOf(PermanentDeliveryError);
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' })).toBeInstanceOf(TransientDeliveryError);
    expect(classifySmtpError({ code: 'ECONNECTION', command: 'CONN' })).toBeInstanceOf(TransientDeliveryError);
    // A wrong SMTP password is fixed by the operator, not by dropping the messages.
    expect(classifySmtpError({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' })).toBeInstanceOf(TransientDeliveryError);
    expect(classifySmtpError(new Error('boom')).message).toBe('SMTP delivery failed (unknown error)');
  });

  it('shapes the HTTP SMS body from a configurable template', () => {
    const sms = { to: '+33612345678', text: 'hello', reference: 'ref-1' };
    expect(fillTemplate({ to: '{{to}}', text: '{{text}}', reference: '{{reference}}' }, sms)).toEqual(sms);
    expect(
      fillTemplate({ messages: [{ destination: '{{to}}', content: { body: '{{text}}' } }], sender: 'PROCURA', id: '{{reference}}' }, sms),
    ).toEqual({
      messages: [{ destination: '+33612345678', content: { body: 'hello' } }],
      sender: 'PROCURA',
      id: 'ref-1',
    });
  });
});
