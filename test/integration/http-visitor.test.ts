/**
 * The success shapes of the visitor API (spec §1.2): the payload plus `success: true`, ISO dates, the field
 * names clients read (`Key` of custom.fields included), and nothing internal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { ISO_DATE, loginAs, request, VisitorClient } from '../helpers/chat.js';
import { tempDir } from '../helpers/tmp.js';

let d: TestDaemon;
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  dir = await tempDir('livechatd-http-');
  d = await startDaemon('http/open.yaml', { DATA_DIR: dir.path });
  await loginAs(d.url, 'alice', 'correct horse');
});

afterAll(async () => {
  await d?.stop();
  await dir?.remove();
});

const call = (method: string, path: string, options: Parameters<typeof request>[3] = {}) => request(d.url, method, `/api/v1/livechat/${path}`, options);

describe('a visitor from registration to removal', () => {
  it('answers every endpoint in the Rocket.Chat shape', async () => {
    const v = new VisitorClient(d.url);
    const token = v.token;

    const registered = await v.register({ name: 'Vera', email: ' Vera@Example.com ', username: 'ignored', connectionData: { a: 1 }, extra: 'tolerated' });
    expect(registered.body).toEqual({
      success: true,
      visitor: expect.objectContaining({ _id: expect.any(String), username: expect.stringMatching(/^guest-\d+$/), token, name: 'Vera', ts: expect.stringMatching(ISO_DATE) }),
    });
    expect(registered.body.visitor).not.toHaveProperty('roomFields');
    expect(registered.body.visitor).not.toHaveProperty('extra');

    expect((await call('POST', 'visitor.status', { body: { token, status: 'away' } })).body).toEqual({ success: true, token, status: 'away' });
    expect((await call('POST', 'custom.field', { body: { token, key: 'company', value: 'ACME', overwrite: true } })).body).toEqual({
      success: true,
      field: { key: 'company', value: 'ACME', overwrite: true },
    });
    expect((await v.customFields([{ key: 'company', value: 'Initech', overwrite: false }])).body).toEqual({
      success: true,
      fields: [{ Key: 'company', value: 'Initech', overwrite: false }],
    });

    // The widget sends rid:null before a room exists and document.location as it is.
    const location = { href: 'https://shop.example.com/cart', origin: 'https://shop.example.com', pathname: '/cart', ancestorOrigins: {} };
    const page = await call('POST', 'page.visited', { body: { token, rid: null, pageInfo: { change: 'url', title: 'Cart', location } } });
    expect(page.body).toEqual({
      success: true,
      page: { msg: 'Cart - https://shop.example.com/cart', navigation: { page: { change: 'url', title: 'Cart', location: { href: 'https://shop.example.com/cart' } }, token } },
    });
    expect((await call('POST', 'page.visited', { body: { token, pageInfo: { change: 'title', title: 'Cart (1)', location } } })).body).toEqual({ success: true });

    const opened = await v.room();
    expect(opened.body).toMatchObject({ success: true, newRoom: true, room: { _id: expect.any(String), t: 'l', open: true, source: { type: 'api' }, ts: expect.stringMatching(ISO_DATE) } });
    const rid = opened.body.room._id;

    expect((await v.nextAgent()).body).toEqual({ success: true });
    expect((await v.agentInfo(rid)).body).toMatchObject({ success: true, agent: { username: 'alice', name: 'Alice' } });

    const sent = await v.send(rid, 'hello', 'clientChosenId1');
    expect(sent.body).toMatchObject({ success: true, message: { _id: 'clientChosenId1', rid, msg: 'hello', seq: 1, token, ts: expect.stringMatching(ISO_DATE) } });
    expect((await v.message('clientChosenId1', rid)).body).toMatchObject({ success: true, message: { _id: 'clientChosenId1', msg: 'hello' } });
    const edited = await call('PUT', 'message/clientChosenId1', { body: { token, rid, msg: 'hello!' } });
    expect(edited.body).toMatchObject({ success: true, message: { _id: 'clientChosenId1', msg: 'hello!', editedAt: expect.stringMatching(ISO_DATE) } });
    const removed = await call('DELETE', 'message/clientChosenId1', { body: { token, rid } });
    expect(removed.body).toEqual({ success: true, message: { _id: 'clientChosenId1', ts: expect.stringMatching(ISO_DATE) } });

    const survey = await call('POST', 'room.survey', { body: { token, rid, data: [{ name: 'satisfaction', value: '5' }, { name: 'additionalFeedback', value: 'quick' }] } });
    expect(survey.body).toEqual({ success: true, rid, data: { satisfaction: '5', additionalFeedback: 'quick' } });

    expect((await v.close(rid)).body).toEqual({ success: true, rid, comment: 'Closed by visitor' });
    const deleted = await v.deleteVisitor();
    expect(deleted.body).toEqual({ success: true, visitor: { _id: registered.body.visitor._id, ts: expect.stringMatching(ISO_DATE) } });
  });

  it('GET room records source "widget" when the widget cookie is sent', async () => {
    const v = new VisitorClient(d.url);
    await v.register({ name: 'Wendy' });
    const room = await call('GET', 'room', { query: { token: v.token }, headers: { cookie: 'rc_room_type=l; rc_is_widget=t' } });
    expect(room.body).toMatchObject({ success: true, room: { source: { type: 'widget' } } });
  });

  it('config and the offline form', async () => {
    const config = await call('GET', 'config', { query: {} });
    expect(config.body).toMatchObject({ success: true, config: { enabled: true, settings: expect.any(Object) } });
    const offline = await call('POST', 'offline.message', { body: { name: 'Olga', email: 'olga@example.com', message: 'Call me', host: 'https://shop.example.com' } });
    expect(offline.body).toEqual({ success: true, message: 'Livechat offline message sent' });
    const refused = await call('POST', 'offline.message', { body: { name: 'Olga', email: 'not an address', message: 'Call me' } });
    expect(refused).toMatchObject({ status: 400, body: { success: false, errorType: 'error-invalid-email-address', message: 'Invalid email address' } });
  });
});

describe('GET config: what the widget is told, from the YAML', () => {
  it('theme, messages, triggers (enabled ones), custom fields (visible public visitor ones) and resources', async () => {
    const own = await tempDir('livechatd-http-config-');
    const daemon = await startDaemon('chat/widget-config.yaml', { DATA_DIR: own.path });
    try {
      const { config } = (await request<{ config: Record<string, unknown> }>(daemon.url, 'GET', '/api/v1/livechat/config')).body;
      expect(config.theme).toEqual({ title: 'Shop support', color: '#123456', offlineTitle: 'We are away', offlineColor: '#654321', actionLinks: { webrtc: [], jitsi: [] }, position: 'left' });
      expect(config.messages).toEqual({
        offlineMessage: 'Leave us a note',
        offlineSuccessMessage: 'Thanks!',
        offlineUnavailableMessage: 'Form closed',
        conversationFinishedMessage: 'Bye',
        conversationFinishedText: 'Come back soon',
        transcriptMessage: 'Want a copy?',
        registrationFormMessage: 'Tell us who you are',
        dataProcessingConsentText: 'We store your data',
      });
      expect(config.triggers).toEqual([
        {
          _id: 'cart-help',
          name: 'Help on the cart page',
          enabled: true,
          runOnce: true,
          conditions: [{ name: 'page-url', value: '/cart' }],
          actions: [{ name: 'send-message', params: { sender: 'custom', name: 'Sam', msg: 'Need help with your order?', delaySeconds: 3 } }],
        },
      ]);
      expect(config.customFields).toEqual([
        { _id: 'zip', label: 'ZIP code', regexp: '^[0-9]{5}$', required: true, type: 'input', defaultValue: '10115' },
        { _id: 'plan', label: 'Plan', regexp: '', required: false, type: 'select', defaultValue: '', options: ['Free', 'Team'] },
      ]);
      expect(config.resources).toEqual({ sound: 'https://chat.example.com/sounds/chime.mp3', emojis: [] });
    } finally {
      await daemon.stop();
      await own.remove();
    }
  });
});
