import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deliveryHeaders, signature } from '../../../src/webhooks/signer.js';

describe('webhook signer', () => {
  it('matches the Standard Webhooks reference vector', () => {
    // From the standard-webhooks libraries' tests: secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw (base64 key).
    const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    expect(signature(key, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('keys the HMAC with the secret as UTF-8 and sends the Rocket.Chat token header', () => {
    const body = JSON.stringify({ type: 'LivechatSession', label: 'Zoë' });
    const headers = deliveryHeaders({ id: 'msg_1', timestamp: 1700000000, body, secretToken: 'sécret' });
    const expected = createHmac('sha256', Buffer.from('sécret', 'utf8')).update(`msg_1.1700000000.${body}`).digest('base64');
    expect(headers).toEqual({
      'content-type': 'application/json',
      'user-agent': 'livechatd-webhooks',
      'x-rocketchat-livechat-token': 'sécret',
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1700000000',
      'webhook-signature': `v1,${expected}`,
    });
  });

  it('sends no token header without a secret, and still the Standard Webhooks headers', () => {
    const headers = deliveryHeaders({ id: 'msg_2', timestamp: 1, body: '{}' });
    expect(headers).not.toHaveProperty('x-rocketchat-livechat-token');
    expect(Object.keys(headers)).toEqual(expect.arrayContaining(['webhook-id', 'webhook-timestamp', 'webhook-signature']));
    const empty = deliveryHeaders({ id: 'msg_2', timestamp: 1, body: '{}', secretToken: '' });
    expect(empty).toEqual(headers);
  });
});
