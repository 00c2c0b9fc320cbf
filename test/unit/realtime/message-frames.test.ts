import { describe, expect, it } from 'vitest';
import { jsonText, rememberedJson } from '../../../src/domain/json-text.js';
import type { Message } from '../../../src/domain/message.js';
import { encodeValue } from '../../../src/store/shared/validate.js';
import { agentMessageFrame, visitorMessageFrame } from '../../../src/realtime/message-frames.js';

const base = { rid: 'R1', seq: 3, ts: '2026-12-03T10:00:00.000Z', _updatedAt: '2026-12-03T10:00:00.000Z', mentions: [], channels: [] };
const fromVisitor: Message = { _id: 'm1', ...base, msg: 'hi "there"\n\u2028', u: { _id: 'v1', username: 'guest-1', name: 'Ann' }, token: 'secret-token', alias: 'Ann' };
const fromAgent: Message = { _id: 'm2', ...base, seq: 4, msg: 'hello', u: { _id: 'a1', username: 'alice' } };

describe('message frames', () => {
  it('are exactly the JSON of { type, rid, message }, token kept for the visitor only', () => {
    expect(JSON.parse(visitorMessageFrame(fromVisitor))).toEqual({ type: 'message', rid: 'R1', message: fromVisitor });
    expect(visitorMessageFrame(fromVisitor)).toBe(JSON.stringify({ type: 'message', rid: 'R1', message: fromVisitor }));
    const { token: _token, ...withoutToken } = fromVisitor;
    expect(agentMessageFrame(fromVisitor)).toBe(JSON.stringify({ type: 'message', rid: 'R1', message: withoutToken }));
    expect(agentMessageFrame(fromVisitor)).not.toContain('secret-token');
    expect(agentMessageFrame(fromAgent)).toBe(visitorMessageFrame(fromAgent));
  });

  it('embed the text the store writes for the message', () => {
    const message: Message = { ...fromAgent, _id: 'm3' };
    const stored = jsonText(message);
    expect(encodeValue(message)).toBe(stored);
    expect(visitorMessageFrame(message)).toContain(`"message":${stored}}`);
  });

  it('are serialised once per message: later calls and the store reuse the remembered text', () => {
    // Messages are never changed once built (json-text.ts); changing one here shows what is reused.
    const message = { ...fromVisitor, _id: 'm6' } as Message & { msg: string };
    const stored = jsonText(message);
    const forAgent = agentMessageFrame(message);
    message.msg = 'changed after serialising';
    expect(encodeValue(message)).toBe(stored);
    expect(visitorMessageFrame(message)).toContain(`"message":${stored}}`);
    expect(agentMessageFrame(message)).toBe(forAgent);
  });

  it('are not carried over to an edited copy, nor to an object that inherits from the message', () => {
    const original: Message = { ...fromVisitor, _id: 'm4' };
    agentMessageFrame(original);
    expect(jsonText(original)).toBe(JSON.stringify(original));

    const edited: Message = { ...original, msg: 'edited' };
    expect(rememberedJson(edited)).toBeUndefined();
    expect(JSON.parse(visitorMessageFrame(edited)).message.msg).toBe('edited');
    expect(JSON.parse(agentMessageFrame(edited)).message.msg).toBe('edited');
    expect(rememberedJson(Object.create(original))).toBeUndefined();
  });

  it('serialise values that cannot remember their text (frozen) each time', () => {
    const frozen = Object.freeze({ ...fromAgent, _id: 'm5' });
    expect(jsonText(frozen)).toBe(JSON.stringify(frozen));
    expect(rememberedJson(frozen)).toBeUndefined();
    expect(visitorMessageFrame(frozen)).toBe(JSON.stringify({ type: 'message', rid: 'R1', message: frozen }));
  });
});
