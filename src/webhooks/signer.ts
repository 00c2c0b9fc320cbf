/**
 * Request headers of one delivery attempt.
 *
 * - `X-RocketChat-Livechat-Token: <secret>` when the webhook has a secret: the check Rocket.Chat receivers make.
 * - Standard Webhooks (standardwebhooks.com): `webhook-id` (the job id, stable across attempts and redeliveries),
 *   `webhook-timestamp` (unix seconds of this attempt) and `webhook-signature: v1,<base64 HMAC-SHA256 of
 *   "id.timestamp.body">`. The key is the secret's UTF-8 bytes (our secrets are plain strings, not `whsec_`
 *   base64). The spec sends all three always; without a secret the HMAC key is empty, which proves nothing, and
 *   receivers that care about authenticity configure a secret.
 */
import { createHmac } from 'node:crypto';

export function signature(key: Uint8Array, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

export function deliveryHeaders(input: { id: string; timestamp: number; body: string; secretToken?: string | undefined }): Record<string, string> {
  const secret = input.secretToken ?? '';
  return {
    'content-type': 'application/json',
    'user-agent': 'livechatd-webhooks',
    ...(secret !== '' && { 'x-rocketchat-livechat-token': secret }),
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signature(Buffer.from(secret, 'utf8'), input.id, input.timestamp, input.body),
  };
}
