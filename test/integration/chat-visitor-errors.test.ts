/**
 * Every error the compatibility spec (§1.2) names for the chat endpoints of the visitor API, in Rocket.Chat's
 * shape, and the rule that another visitor's room reads exactly like a room that does not exist.
 * Fixture: three agents, no departments, messages up to 100 characters, custom fields with options and a regexp.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chatDaemons, expectRcError, expectRefused, expectSameAnswer, loginAs, NO_SUCH_ROOM, openChat, request, VisitorClient } from '../helpers/chat.js';

const daemons = chatDaemons();
afterEach(() => daemons.cleanup());

async function ready() {
  const d = await daemons.start('no-departments');
  const alice = await loginAs(d.url, 'alice');
  return { url: d.url, alice };
}

describe('visitor API errors', () => {
  it('visitor/:token: an unknown token is "[invalid-token]"', async () => {
    const { url } = await ready();
    const stranger = new VisitorClient(url);
    const res = await stranger.getVisitor();
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ success: false, error: '[invalid-token]', errorType: 'invalid-token' });
  });

  it('visitor: an unknown department is refused with the spec reason', async () => {
    const { url } = await ready();
    const visitor = new VisitorClient(url);
    expectRcError(await visitor.register({ department: 'nope' }), 'error-invalid-department', 'The provided department is invalid');
    // Nothing was created.
    expect((await visitor.getVisitor()).body).toEqual({ success: false, error: '[invalid-token]', errorType: 'invalid-token' });
  });

  it('visitor: tokens must be 16–128 characters of [A-Za-z0-9_-]', async () => {
    const { url } = await ready();
    for (const token of ['a'.repeat(15), 'a'.repeat(129), `${'a'.repeat(20)}!`, `${'a'.repeat(20)} b`, `${'a'.repeat(20)}/..`]) {
      const res = await new VisitorClient(url, token).register({ name: 'X' });
      expect(res.status, token).toBe(400);
      expect(res.body, token).toMatchObject({ success: false });
    }
    for (const token of ['a'.repeat(16), 'A-z_0'.repeat(25) + 'abc']) {
      const res = await new VisitorClient(url, token).register({ name: 'X' });
      expect(res.status, token).toBe(200);
      expect(res.body.visitor.token).toBe(token);
    }
  });

  it('visitor DELETE: refused while a room is open, then removes the visitor', async () => {
    const { url } = await ready();
    const { visitor, room } = await openChat(url);
    expectRcError(await visitor.deleteVisitor(), 'visitor-has-open-rooms', 'Cannot remove visitors with opened rooms');
    expect((await visitor.close(room._id)).status).toBe(200);
    const removed = await visitor.deleteVisitor();
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ success: true, visitor: { _id: expect.any(String), ts: expect.any(String) } });
    expect((await visitor.getVisitor()).body).toEqual({ success: false, error: '[invalid-token]', errorType: 'invalid-token' });
  });

  it('room: invalid-token for an unregistered visitor, invalid-room for an unknown rid', async () => {
    const { url } = await ready();
    expectRcError(await new VisitorClient(url).room(), 'invalid-token');
    const { visitor } = await openChat(url);
    expectRcError(await visitor.room({ rid: NO_SUCH_ROOM }), 'invalid-room');
  });

  it('message: invalid-token, invalid-room, room-closed, message-length-exceeds-character-limit', async () => {
    const { url } = await ready();
    const { visitor, room } = await openChat(url);
    expectRcError(await new VisitorClient(url).send(room._id, 'hi'), 'invalid-token');
    expectRcError(await visitor.send(NO_SUCH_ROOM, 'hi'), 'invalid-room');

    expectRcError(await visitor.send(room._id, 'x'.repeat(101)), 'message-length-exceeds-character-limit');
    const longest = await visitor.send(room._id, 'x'.repeat(100));
    expect(longest.status).toBe(200);
    expect(longest.body.message.seq).toBe(1);

    expect((await visitor.close(room._id)).status).toBe(200);
    expectRcError(await visitor.send(room._id, 'too late'), 'room-closed');
    // Refused messages were not stored.
    expect((await visitor.history(room._id)).body.messages.map((m) => [m.seq, m.t])).toEqual([
      [2, 'livechat-close'],
      [1, undefined],
    ]);
  });

  it('messages.history: error-token-param-not-provided, invalid-token, invalid-room', async () => {
    const { url } = await ready();
    const { visitor, room } = await openChat(url);
    expectRcError(await request(url, 'GET', `/api/v1/livechat/messages.history/${room._id}`), 'error-token-param-not-provided');
    expectRcError(await new VisitorClient(url).history(room._id), 'invalid-token');
    expectRcError(await visitor.history(NO_SUCH_ROOM), 'invalid-room');
  });

  it('room.close: invalid-token, invalid-room, room-closed', async () => {
    const { url } = await ready();
    const { visitor, room } = await openChat(url);
    expectRcError(await new VisitorClient(url).close(room._id), 'invalid-token');
    expectRcError(await visitor.close(NO_SUCH_ROOM), 'invalid-room');
    expect((await visitor.close(room._id)).status).toBe(200);
    expectRcError(await visitor.close(room._id), 'room-closed');
  });

  it('agent.info: invalid-token, invalid-room', async () => {
    const { url } = await ready();
    const { visitor, room } = await openChat(url);
    expectRcError(await new VisitorClient(url).agentInfo(room._id), 'invalid-token');
    expectRcError(await visitor.agentInfo(NO_SUCH_ROOM), 'invalid-room');
  });

  it('room.transfer: a refused transfer answers success:false and changes nothing', async () => {
    const { url } = await ready();
    const { visitor, room } = await openChat(url);
    const res = await visitor.transfer(room._id, 'nope');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false });
    const now = await visitor.room();
    expect(now.body.room).toMatchObject({ _id: room._id, servedBy: { username: 'alice' }, msgs: 0 });
  });

  it('custom.fields: an unknown field and a value outside the options are refused, nothing is stored', async () => {
    const { url } = await ready();
    const { visitor } = await openChat(url);
    expectRcError(await visitor.customFields([{ key: 'shoeSize', value: '44', overwrite: true }]), 'invalid-custom-field');
    const bad = await visitor.customFields([
      { key: 'company', value: 'ACME', overwrite: true },
      { key: 'plan', value: 'Platinum', overwrite: true },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ success: false, errorType: 'error-invalid-custom-field-value' });
    expect((await visitor.getVisitor()).body.visitor.livechatData ?? {}).toEqual({});
  });
});

describe('message/:id, room.survey, custom fields with a regexp', () => {
  it('message/:id: an unknown id is "[invalid-message]" for GET, PUT and DELETE', async () => {
    const { url } = await ready();
    const { visitor, room } = await openChat(url);
    const body = { token: visitor.token, rid: room._id };
    expectRcError(await visitor.message('NoSuchMessage2345', room._id), 'invalid-message');
    expectRcError(await request(url, 'PUT', '/api/v1/livechat/message/NoSuchMessage2345', { body: { ...body, msg: 'edited' } }), 'invalid-message');
    expectRcError(await request(url, 'DELETE', '/api/v1/livechat/message/NoSuchMessage2345', { body }), 'invalid-message');
  });

  it("message/:id: a visitor may not edit or delete the agent's message: error-action-not-allowed, nothing changes", async () => {
    const { url, alice } = await ready();
    const { visitor, room } = await openChat(url);
    const reply = await alice.send(room._id, 'from the agent');
    expect(reply.status).toBe(200);
    const id = reply.body.message._id;
    const body = { token: visitor.token, rid: room._id };
    expectRcError(await request(url, 'PUT', `/api/v1/livechat/message/${id}`, { body: { ...body, msg: 'rewritten' } }), 'error-action-not-allowed', 'Editing messages is not allowed');
    expectRcError(await request(url, 'DELETE', `/api/v1/livechat/message/${id}`, { body }), 'error-action-not-allowed', 'Deleting messages is not allowed');
    const kept = await visitor.message(id, room._id);
    expect(kept.body.message).toMatchObject({ _id: id, msg: 'from the agent' });
    expect(kept.body.message.editedAt).toBeUndefined();
  });

  it('room.survey: an unknown item or a value outside 1..5 is "[invalid-data]" and nothing is stored', async () => {
    const { url } = await ready();
    const { visitor, room } = await openChat(url);
    const survey = (data: { name: string; value: string }[]) => request(url, 'POST', '/api/v1/livechat/room.survey', { body: { token: visitor.token, rid: room._id, data } });
    expectRcError(await survey([{ name: 'satisfaction', value: '6' }]), 'invalid-data');
    expectRcError(await survey([{ name: 'satisfaction', value: '5' }, { name: 'mood', value: '3' }]), 'invalid-data');
    expect((await visitor.room()).body.room.surveyFeedback).toBeUndefined();
    const answered = await survey([{ name: 'satisfaction', value: '5' }, { name: 'additionalFeedback', value: 'quick!' }]);
    expect(answered.body).toEqual({ success: true, rid: room._id, data: { satisfaction: '5', additionalFeedback: 'quick!' } });
  });

  it('custom.field: a value not matching the field\'s regexp is error-invalid-custom-field-value, a matching one is stored', async () => {
    const { url } = await ready();
    const { visitor } = await openChat(url);
    const field = (value: string) => request(url, 'POST', '/api/v1/livechat/custom.field', { body: { token: visitor.token, key: 'zip', value, overwrite: true } });
    expectRcError(await field('1234x'), 'error-invalid-custom-field-value', 'Invalid value for ZIP code field');
    expect((await visitor.getVisitor()).body.visitor.livechatData ?? {}).toEqual({});
    expect((await field('10115')).body).toEqual({ success: true, field: { key: 'zip', value: '10115', overwrite: true } });
    expect((await visitor.getVisitor()).body.visitor.livechatData).toEqual({ zip: '10115' });
  });

  it('custom.fields: a room-scoped field lands on the open room, not on the visitor', async () => {
    const { url } = await ready();
    const { visitor, room } = await openChat(url);
    const set = await visitor.customFields([
      { key: 'plan', value: 'Team', overwrite: true },
      { key: 'company', value: 'ACME', overwrite: true },
    ]);
    expect(set.status).toBe(200);
    expect((await visitor.room()).body.room).toMatchObject({ _id: room._id, livechatData: { plan: 'Team' } });
    expect((await visitor.getVisitor()).body.visitor.livechatData).toEqual({ company: 'ACME' });
  });
});

describe('offline form disabled', () => {
  it('offline.message is "error-offline-form-disabled", with the reason as message for the widget', async () => {
    const d = await daemons.start('offline-form-disabled');
    const res = await request(d.url, 'POST', '/api/v1/livechat/offline.message', { body: { name: 'Fay', email: 'fay@example.com', message: 'hello?' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      success: false,
      error: 'Offline form is disabled [error-offline-form-disabled]',
      errorType: 'error-offline-form-disabled',
      message: 'Offline form is disabled',
    });
  });
});

describe('livechat disabled', () => {
  it('config says so in full shape, and no room can be opened: error-omnichannel-is-disabled', async () => {
    const d = await daemons.start('disabled');
    await loginAs(d.url, 'alice');
    const visitor = new VisitorClient(d.url);
    const config = await visitor.config();
    expect(config.status).toBe(200);
    expect(config.body.config).toMatchObject({ enabled: false, online: false, settings: expect.any(Object), messages: expect.any(Object), theme: expect.any(Object) });
    expect((await visitor.register({ name: 'Late' })).status).toBe(200);
    expectRcError(await visitor.room(), 'error-omnichannel-is-disabled');
  });
});

describe("another visitor's room", () => {
  it('answers exactly like a room that does not exist, on every endpoint, and changes nothing', async () => {
    const { url, alice } = await ready();
    const a = await openChat(url, { name: 'Anna' });
    const b = await openChat(url, { name: 'Ben' });
    const bMessage = await b.visitor.send(b.room._id, 'private to B');
    expect(bMessage.status).toBe(200);
    const ridB = b.room._id;

    expectSameAnswer(await a.visitor.room({ rid: ridB }), await a.visitor.room({ rid: NO_SUCH_ROOM }));
    expectSameAnswer(await a.visitor.send(ridB, 'intrusion'), await a.visitor.send(NO_SUCH_ROOM, 'intrusion'));
    expectSameAnswer(await a.visitor.history(ridB), await a.visitor.history(NO_SUCH_ROOM));
    expectSameAnswer(await a.visitor.agentInfo(ridB), await a.visitor.agentInfo(NO_SUCH_ROOM));
    expectSameAnswer(
      await a.visitor.message(bMessage.body.message._id, ridB),
      await a.visitor.message(bMessage.body.message._id, NO_SUCH_ROOM),
    );
    expectSameAnswer(await a.visitor.transfer(ridB, 'nope'), await a.visitor.transfer(NO_SUCH_ROOM, 'nope'));
    expectSameAnswer(await a.visitor.close(ridB), await a.visitor.close(NO_SUCH_ROOM));

    // B's room is untouched and still B's; A's own room is still A's.
    const bNow = await b.visitor.room();
    expect(bNow.body).toMatchObject({ newRoom: false, room: { _id: ridB, open: true, msgs: 1 } });
    expect((await b.visitor.history(ridB)).body.messages.map((m) => m.msg)).toEqual(['private to B']);
    expect((await a.visitor.room()).body).toMatchObject({ newRoom: false, room: { _id: a.room._id } });
    expect((await alice.messages(ridB)).body.messages.map((m) => m.msg)).toEqual(['private to B']);
  });

  it('a closed room of another visitor reads as missing too', async () => {
    const { url } = await ready();
    const a = await openChat(url);
    const b = await openChat(url);
    expect((await b.visitor.close(b.room._id)).status).toBe(200);
    expectSameAnswer(await a.visitor.history(b.room._id), await a.visitor.history(NO_SUCH_ROOM));
    expectSameAnswer(await a.visitor.send(b.room._id, 'x'), await a.visitor.send(NO_SUCH_ROOM, 'x'));
    expectSameAnswer(await a.visitor.close(b.room._id), await a.visitor.close(NO_SUCH_ROOM));
  });
});

describe('request hygiene', () => {
  it('a malformed body is a JSON 400 and the daemon keeps serving', async () => {
    const { url } = await ready();
    const res = await fetch(`${url}/api/v1/livechat/visitor`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"visitor":' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ success: false });
    expectRefused(await request(url, 'POST', '/api/v1/livechat/message', { body: { token: 'x'.repeat(20) } }));
    expect((await openChat(url)).reply.status).toBe(200);
  });
});
