/**
 * DDP framing on /websocket beyond the happy path: every method gets a result, every sub a ready or a nosub,
 * bad frames get DDP errors and, repeated, a 1008; the handshake has a deadline; `//websocket` (a trailing slash
 * in the site's SERVER_URL) is the same endpoint, and so is `//api/v1/…` on the REST side.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VisitorClient } from '../helpers/chat.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';
import { RawDdp, streamArgs } from './ddp-raw-client.js';

const meteorError = (error: string | number, reason: string) => ({ isClientSafe: true, error, reason, message: `${reason} [${error}]`, errorType: 'Meteor.Error' });

describe('DDP /websocket: protocol', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let d: TestDaemon;
  const sockets: RawDdp[] = [];
  const open = async (path?: string) => {
    const ddp = await RawDdp.connect(d.url, path);
    sockets.push(ddp);
    return ddp;
  };

  let bob: Awaited<ReturnType<typeof agent>>;

  beforeEach(async () => {
    dir = await tempDir();
    d = await startDaemon('ddp/manual.yaml', { DATA_DIR: dir.path }, { realtime: { authTimeoutMs: 1_000, maxInvalidFrames: 5 } });
    bob = await agent(d.url, 'bob'); // someone online, so chats are accepted (they wait in the manual queue)
  });
  afterEach(async () => {
    bob.client.disconnect();
    for (const s of sockets.splice(0)) s.close();
    await d.stop();
    await dir.remove();
  });

  async function queuedChat() {
    const visitor = new VisitorClient(d.url);
    const { body } = await visitor.start({ name: 'Jane' });
    return { visitor, rid: body.room._id };
  }

  it('answers every method with a result: unknown, malformed, refused and accepted calls', async () => {
    const { visitor, rid } = await queuedChat();
    const ddp = await open();

    ddp.send({ msg: 'method', method: 'livechat:sendMessageLivechat', params: [], id: 'm1' });
    expect(await ddp.take()).toEqual({ msg: 'result', id: 'm1', error: meteorError(404, "Method 'livechat:sendMessageLivechat' not found") });

    ddp.send({ msg: 'method', method: 'livechat:setUpConnection', params: [{ token: 'short' }], id: 'm2' });
    expect(await ddp.take()).toMatchObject({ msg: 'result', id: 'm2', error: { error: 400, errorType: 'Meteor.Error', reason: expect.stringContaining('params.0.token') } });

    ddp.send({ msg: 'method', method: 42, params: [], id: 'm3' });
    expect(await ddp.take()).toMatchObject({ msg: 'result', id: 'm3', error: { error: 400, reason: expect.stringContaining('invalid method frame') } });

    // Typing in a room with a token that is not its visitor's, or another notification than typing: refused.
    ddp.send({ msg: 'method', method: 'stream-notify-room', params: [`${rid}/typing`, 'guest-1', true, { token: 'x'.repeat(32) }], id: 'm4' });
    expect(await ddp.take()).toEqual({ msg: 'result', id: 'm4', error: meteorError('not-allowed', 'Not allowed') });
    ddp.send({ msg: 'method', method: 'stream-notify-room', params: [`${rid}/webrtc`, 'callStatus', { callStatus: 'declined' }], id: 'm5' });
    expect(await ddp.take()).toEqual({ msg: 'result', id: 'm5', error: meteorError('not-allowed', 'Not allowed') });
    ddp.send({ msg: 'method', method: 'stream-notify-room', params: [`${rid}/typing`, 'guest-1', 'yes', { token: visitor.token }], id: 'm6' });
    expect(await ddp.take()).toMatchObject({ msg: 'result', id: 'm6', error: { error: 400, reason: expect.stringContaining('params.2') } });

    ddp.send({ msg: 'method', method: 'stream-notify-room', params: [`${rid}/typing`, 'whoever', false, { token: visitor.token }], id: 'm7' });
    expect(await ddp.take()).toEqual({ msg: 'result', id: 'm7' });
    ddp.send({ msg: 'method', method: 'livechat:setUpConnection', params: [{ token: visitor.token }], id: 'm8' });
    expect(await ddp.take()).toEqual({ msg: 'result', id: 'm8' });
  });

  it('one ready per sub, duplicates included; a reused id replaces its sub; unsub and refusals answer nosub', async () => {
    const { visitor, rid } = await queuedChat();
    const ddp = await open();
    const sub = (id: string, name: string, eventName: string, token = visitor.token) => ddp.send({ msg: 'sub', id, name, params: [eventName, streamArgs(token)] });

    sub('s1', 'stream-room-messages', rid);
    sub('s2', 'stream-room-messages', rid);
    expect(await ddp.take()).toEqual({ msg: 'ready', subs: ['s1'] });
    expect(await ddp.take()).toEqual({ msg: 'ready', subs: ['s2'] });

    // Reusing s1 for something refused: nosub, and s1 no longer listens (s2 still does).
    sub('s1', 'stream-room-messages', rid, 'y'.repeat(32));
    expect(await ddp.take()).toEqual({ msg: 'nosub', id: 's1', error: meteorError('not-allowed', 'Not allowed') });
    ddp.send({ msg: 'unsub', id: 's2' });
    expect(await ddp.take()).toEqual({ msg: 'nosub', id: 's2' });
    ddp.send({ msg: 'unsub', id: 'never-subscribed' });
    expect(await ddp.take()).toEqual({ msg: 'nosub', id: 'never-subscribed' });
    // With no sub left, the room's messages do not reach this connection.
    await visitor.send(rid, 'unheard');
    expect(await ddp.settle()).toEqual([]);

    sub('s3', 'stream-notify-room', `${rid}/webrtc`);
    expect(await ddp.take()).toEqual({ msg: 'nosub', id: 's3', error: meteorError('not-allowed', 'Not allowed') });
    sub('s4', 'stream-notify-user', `${rid}/message`);
    expect(await ddp.take()).toEqual({ msg: 'nosub', id: 's4', error: meteorError(404, "Subscription 'stream-notify-user' not found") });
    ddp.send({ msg: 'sub', id: 's5', name: 'stream-room-messages', params: [rid, false] });
    expect(await ddp.take()).toMatchObject({ msg: 'nosub', id: 's5', error: { error: 400, errorType: 'Meteor.Error' } });
  });

  it('caps the subscriptions of one connection', async () => {
    const { visitor, rid } = await queuedChat();
    const ddp = await open();
    for (let i = 0; i < 33; i++) ddp.send({ msg: 'sub', id: `s${i}`, name: 'stream-room-messages', params: [rid, streamArgs(visitor.token)] });
    for (let i = 0; i < 32; i++) expect(await ddp.take()).toEqual({ msg: 'ready', subs: [`s${i}`] });
    expect(await ddp.take()).toMatchObject({ msg: 'nosub', id: 's32', error: { error: 'too-many-subscriptions' } });
    ddp.send({ msg: 'sub', id: 's0', name: 'stream-room-messages', params: [rid, streamArgs(visitor.token)] }); // reusing an id is fine
    expect(await ddp.take()).toEqual({ msg: 'ready', subs: ['s0'] });
    // Many subs, one frame per event.
    await visitor.send(rid, 'once');
    expect((await ddp.settle()).filter((f) => f.msg === 'changed')).toHaveLength(1);
  });

  it('refuses frames before connect and garbage with DDP errors, and closes a client that keeps at it (1008)', async () => {
    const ddp = await RawDdp.open(d.url);
    sockets.push(ddp);
    ddp.send({ msg: 'sub', id: 's1', name: 'stream-room-messages', params: ['R1', streamArgs('z'.repeat(32))] });
    expect(await ddp.take()).toEqual({ msg: 'error', reason: 'Must connect first' });
    ddp.send({ msg: 'connect', version: '1', support: ['1'] });
    expect(await ddp.take()).toMatchObject({ msg: 'connected' });
    ddp.send('{not json');
    expect(await ddp.take()).toEqual({ msg: 'error', reason: expect.stringContaining('not valid JSON') });
    ddp.send({ msg: 'login', params: [] });
    expect(await ddp.take()).toEqual({ msg: 'error', reason: expect.stringContaining('unknown msg') });
    ddp.send(Buffer.from([1, 2, 3]));
    expect(await ddp.take()).toEqual({ msg: 'error', reason: 'binary frames are not accepted' });
    ddp.send({ msg: 'unsub' });
    expect(await ddp.take()).toEqual({ msg: 'error', reason: expect.stringContaining('invalid unsub frame') });
    ddp.send({ msg: 'ping', extra: true });
    expect(await ddp.closed).toEqual({ code: 1008, reason: 'too many invalid frames' });
  });

  it('answers an unsupported DDP version with failed, and a silent socket is closed after the connect deadline', async () => {
    const old = await RawDdp.open(d.url);
    sockets.push(old);
    old.send({ msg: 'connect', version: 'pre1', support: ['pre1'] });
    expect(await old.take()).toEqual({ msg: 'failed', version: '1' });
    expect((await old.closed).code).toBe(1000);

    const silent = await RawDdp.open(d.url);
    sockets.push(silent);
    expect(await silent.closed).toEqual({ code: 4001, reason: 'no connect frame in time' });
  });

  it('a trailing slash in the site URL still works: //websocket and //api/v1', async () => {
    const ddp = await open('//websocket');
    ddp.send({ msg: 'ping' });
    expect(await ddp.take()).toEqual({ msg: 'pong' });
    // The SDK builds `${host}/api/v1/${path}` with a bare `?` when there are no params (spec §1.0).
    const config = await fetch(`${d.url}//api/v1/livechat/config?`);
    expect(config.status).toBe(200);
    expect(await config.json()).toMatchObject({ success: true, config: { enabled: true } });
    await expect(RawDdp.open(d.url, '/websocketx')).rejects.toThrow('upgrade refused: 404');
  });
});
