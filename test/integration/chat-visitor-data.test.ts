/**
 * What the store holds after the visitor API has been used, read straight from LevelDB once the daemon stopped:
 * `DELETE visitor/:token` ("remove my data") leaves nothing of that visitor — record, id index, rooms, their
 * messages and message ids, page history — and nothing of anyone else is touched; room-scoped custom fields and
 * a transcript request are stored on the room.
 */
import { afterEach, expect, it } from 'vitest';
import { openStore } from '../../src/daemon/store.js';
import type { Collection } from '../../src/domain/ports/store.js';
import { chatDaemons, loginAs, openChat, request, type VisitorClient } from '../helpers/chat.js';

const daemons = chatDaemons();
afterEach(() => daemons.cleanup());

const location = (path: string) => ({ href: `https://shop.example.com${path}` });

async function visitPage(url: string, visitor: VisitorClient, path: string): Promise<void> {
  const reply = await request(url, 'POST', '/api/v1/livechat/page.visited', { body: { token: visitor.token, pageInfo: { change: 'url', title: path, location: location(path) } } });
  expect(reply.status).toBe(200);
}

/** Every entry of some collections of a stopped daemon's store. */
async function readStore(dataDir: string, collections: Collection[]): Promise<Record<string, [string, any][]>> {
  const store = await openStore('level', dataDir);
  try {
    const out: Record<string, [string, any][]> = {};
    for (const collection of collections) {
      out[collection] = [];
      for await (const entry of store.range<any>(collection)) out[collection].push(entry);
    }
    return out;
  } finally {
    await store.close();
  }
}

it('DELETE visitor removes their record, rooms, messages and pages from the store, and nothing of anyone else', async () => {
  const d = await daemons.start('no-departments');
  const alice = await loginAs(d.url, 'alice');

  const gone = await openChat(d.url, { name: 'Gone Visitor' });
  await visitPage(d.url, gone.visitor, '/cart');
  await visitPage(d.url, gone.visitor, '/checkout');
  await gone.visitor.send(gone.room._id, 'first chat');
  await alice.send(gone.room._id, 'answer');
  expect((await gone.visitor.close(gone.room._id)).status).toBe(200);
  const second = (await gone.visitor.room()).body.room;
  await gone.visitor.send(second._id, 'second chat');
  expect((await gone.visitor.close(second._id)).status).toBe(200);
  const goneId = (await gone.visitor.getVisitor()).body.visitor._id;

  const kept = await openChat(d.url, { name: 'Kept Visitor' });
  await visitPage(d.url, kept.visitor, '/home');
  await kept.visitor.send(kept.room._id, 'still here');

  expect((await gone.visitor.deleteVisitor()).status).toBe(200);
  await d.stop();

  const stored = await readStore(d.dataDir, ['visitors', 'visitorIds', 'rooms', 'visitorRooms', 'messages', 'messageIds', 'pages', 'openRooms']);
  const goneRooms = [gone.room._id, second._id];
  const keptId = kept.room.v._id;
  expect(stored.visitors!.map(([token]) => token)).toEqual([kept.visitor.token]);
  expect(stored.visitorIds!.map(([id]) => id)).toEqual([keptId]);
  expect(stored.rooms!.map(([rid]) => rid)).toEqual([kept.room._id]);
  expect(stored.visitorRooms!.map(([key]) => key)).toEqual([`${keptId}!${kept.room._id}`]);
  expect(stored.openRooms!.map(([rid]) => rid)).toEqual([kept.room._id]);
  expect(stored.messages!.map(([, m]) => [m.rid, m.msg])).toEqual([[kept.room._id, 'still here']]);
  expect(stored.messageIds!.map(([, key]) => String(key).split('!')[0])).toEqual([kept.room._id]);
  expect(stored.pages!.map(([key, page]) => [key.startsWith(`${kept.visitor.token}!`), page.page.location.href])).toEqual([[true, 'https://shop.example.com/home']]);
  // Nothing anywhere still names the removed visitor or their rooms.
  const text = JSON.stringify(stored);
  for (const trace of [gone.visitor.token, goneId, ...goneRooms]) expect(text).not.toContain(trace);
});

it('a room-scoped custom field and a transcript request are stored on the room', async () => {
  const d = await daemons.start('no-departments');
  await loginAs(d.url, 'alice');
  const { visitor, room } = await openChat(d.url, { name: 'Tina' });
  expect((await visitor.customFields([{ key: 'plan', value: 'Team', overwrite: true }])).status).toBe(200);
  const transcript = await request(d.url, 'POST', '/api/v1/livechat/transcript', { body: { token: visitor.token, rid: room._id, email: 'tina@example.com' } });
  // Mail delivery is not configured: the visitor is told so, and the request is kept for when it is.
  expect(transcript.status).toBe(400);
  expect(transcript.body).toMatchObject({ success: false, errorType: 'error-transcript-not-configured' });
  await d.stop();

  const stored = await readStore(d.dataDir, ['rooms', 'visitors']);
  const [, storedRoom] = stored.rooms!.find(([rid]) => rid === room._id)!;
  expect(storedRoom.livechatData).toEqual({ plan: 'Team' });
  expect(storedRoom.transcriptRequest).toEqual({ requestedAt: expect.any(String), email: 'tina@example.com', subject: 'Transcript of your livechat conversation' });
  expect(stored.visitors!.find(([token]) => token === visitor.token)![1].livechatData).toEqual({});
});
