/**
 * A write that fails while a later change to the same room is already on its way: rolling the room back under the
 * later change would hand its seqs out again, and the next message would overwrite a stored one.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/domain/errors.js';
import type { Message } from '../../../src/domain/message.js';
import type { Room } from '../../../src/domain/room.js';
import { roomMessageRange, type BatchOp, type Store } from '../../../src/domain/ports/store.js';
import { ChatState } from '../../../src/services/chat-state.js';
import { createMemoryStore } from '../../../src/store/memory/index.js';
import { fixtureConfig, harness, openChat } from './harness.js';

/** A memory store whose next batch can be held, then failed (with an error) or written (without) by the test. */
function storeWithHeldBatch(): { store: Store; holdNext: () => Promise<(err?: Error) => void> } {
  const inner = createMemoryStore();
  let hold: ((settle: (err?: Error) => void) => void) | undefined;
  const batch = (ops: readonly BatchOp[]): Promise<void> => {
    const held = hold;
    if (!held) return inner.batch(ops);
    hold = undefined;
    return new Promise<void>((resolve, reject) => held((err) => (err ? reject(err) : inner.batch(ops).then(resolve, reject))));
  };
  const store = new Proxy(inner, {
    get(target, key) {
      if (key === 'batch') return batch;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store, holdNext: () => new Promise((resolve) => (hold = resolve)) };
}

/** A chat of a new visitor served by alice (three-agents.yaml), over a store whose next batch the test can hold. */
async function chatOverHeldStore() {
  const { store, holdNext } = storeWithHeldBatch();
  const { services } = await harness(await fixtureConfig('three-agents.yaml'), store);
  await services.agents.login({ username: 'alice', password: 'pw', ip: '127.0.0.1' });
  return { store, holdNext, services, ...(await openChat(services)) };
}

async function storedMessages(store: Store, rid: string): Promise<Message[]> {
  const out: Message[] = [];
  for await (const [, message] of store.range<Message>('messages', roomMessageRange(rid))) out.push(message);
  return out;
}

describe('a failed write under a later one', () => {
  it('keeps the later message: the next one takes a new seq instead of overwriting it', async () => {
    const { store, holdNext, services, token, rid } = await chatOverHeldStore();
    await services.messages.post({ token, rid, msg: 'first' });

    const held = holdNext();
    const failed = services.messages.post({ token, rid, msg: 'lost' }).catch((err: unknown) => err);
    const fail = await held; // "lost" has its seq and waits for its write
    const later = await services.messages.post({ token, rid, msg: 'later' });
    fail(new AppError('store-unavailable', 'store: write failed'));
    expect(await failed).toMatchObject({ code: 'store-unavailable' });

    // Rolled back to before "lost", the room handed out its seq and then "later"'s, overwriting "later".
    const next = await services.messages.post({ token, rid, msg: 'next' });
    const after = await services.messages.post({ token, rid, msg: 'after' });
    expect((await storedMessages(store, rid)).map((m) => [m.seq, m.msg])).toEqual([
      [1, 'first'],
      [later.seq, 'later'],
      [next.seq, 'next'],
      [after.seq, 'after'],
    ]);
    expect(next.seq).toBeGreaterThan(later.seq);
  });

  it('gives the seq back when nothing was built on the failed change', async () => {
    const { store, holdNext, services, token, rid } = await chatOverHeldStore();
    const first = await services.messages.post({ token, rid, msg: 'first' });

    const held = holdNext();
    const failed = services.messages.post({ token, rid, msg: 'lost' }).catch((err: unknown) => err);
    (await held)(new AppError('store-unavailable', 'store: write failed'));
    expect(await failed).toMatchObject({ code: 'store-unavailable' });

    const next = await services.messages.post({ token, rid, msg: 'next' });
    expect(next.seq).toBe(first.seq + 1);
    expect((await storedMessages(store, rid)).map((m) => m.msg)).toEqual(['first', 'next']);
  });
});

describe('a room change read before an await', () => {
  it('a survey or transcript request answered while a message is posted keeps that message', async () => {
    const { services, store } = await harness(await fixtureConfig('three-agents.yaml'));
    await services.agents.login({ username: 'alice', password: 'pw', ip: '127.0.0.1' });
    // The post starts 0..7 microtasks after the change, so one of them lands between its read and its write.
    for (let delay = 0; delay < 8; delay++) {
      const { token, rid } = await openChat(services);
      await services.messages.post({ token, rid, msg: 'first' });
      const changes = [
        services.rooms.survey({ token, rid, data: [{ name: 'satisfaction', value: '5' }] }),
        services.rooms.requestTranscript({ token, rid, email: 'ann@example.com' }).catch(() => undefined),
      ];
      for (let i = 0; i < delay; i++) await Promise.resolve();
      await Promise.all([...changes, services.messages.post({ token, rid, msg: 'second' })]);
      await services.messages.post({ token, rid, msg: 'third' });
      expect((await storedMessages(store, rid)).map((m) => m.msg)).toEqual(['first', 'second', 'third']);
    }
  });
});

describe('a close being written', () => {
  /** Whether `promise` settles within a few turns of the event loop (the memory store answers within one). */
  const settlesSoon = (promise: Promise<unknown>) => {
    const turns = async () => {
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      return false;
    };
    return Promise.race([promise.then(() => true, () => true), turns()]);
  };

  async function closingWhileAsked() {
    const { store, holdNext, services, token, rid } = await chatOverHeldStore();
    const held = holdNext();
    const closing = services.rooms.closeByVisitor({ token, rid }).catch((err: unknown) => err);
    const settle = await held; // the close is decided and its batch is on its way
    const asked = services.rooms.openOrGet({ token });
    return { store, rid, closing, settle, asked };
  }

  async function openRooms(store: Store): Promise<string[]> {
    const keys: string[] = [];
    for await (const [key] of store.range('openRooms')) keys.push(key);
    return keys;
  }

  it('holds back a chat asked for meanwhile: after a failed close the visitor has one open room, the old one', async () => {
    const { store, rid, closing, settle, asked } = await closingWhileAsked();
    expect(await settlesSoon(asked)).toBe(false);
    settle(new AppError('store-unavailable', 'store: write failed'));
    expect(await closing).toMatchObject({ code: 'store-unavailable' });
    expect(await asked).toMatchObject({ room: { _id: rid, open: true }, newRoom: false });
    expect(await openRooms(store)).toEqual([rid]);
  });

  it('holds back removing the visitor until the close is written, which then removes the closed room too', async () => {
    const { store, holdNext, services, token, rid } = await chatOverHeldStore();
    await services.messages.post({ token, rid, msg: 'hello' });
    const held = holdNext();
    const closing = services.rooms.closeByVisitor({ token, rid });
    const settle = await held;
    const removing = services.visitors.remove(token);
    expect(await settlesSoon(removing)).toBe(false);
    settle();
    await closing;
    await removing;
    expect(await store.get('rooms', rid)).toBeUndefined();
    expect(await storedMessages(store, rid)).toEqual([]); // the close's own message included
  });

  it('gives a chat asked for meanwhile a new room once the close is written', async () => {
    const { store, rid, closing, settle, asked } = await closingWhileAsked();
    expect(await settlesSoon(asked)).toBe(false);
    settle();
    expect(await closing).toMatchObject({ room: { _id: rid, open: false } });
    const { room, newRoom } = await asked;
    expect(newRoom).toBe(true);
    expect(await openRooms(store)).toEqual([room._id]);
  });
});

describe("an agent's close waiting for the visitor", () => {
  it('is decided on the room as it is then: a chat transferred meanwhile is not closed by its former agent', async () => {
    const { holdNext, services, token, rid, servedBy } = await chatOverHeldStore();
    expect(servedBy).toBe('alice');
    await services.agents.login({ username: 'bob', password: 'pw', ip: '127.0.0.1' });

    const held = holdNext();
    const renaming = services.visitors.register({ token, name: 'Vera' }); // holds the visitor's lock until written
    const write = await held;
    const closing = services.agents.close('alice', { rid }).catch((err: unknown) => err);
    await services.agents.transfer('alice', { rid, agent: 'bob' });
    write();
    await renaming;

    expect(await closing).toMatchObject({ code: 'forbidden' });
    expect(await services.agents.rooms('bob')).toMatchObject([{ _id: rid, open: true, servedBy: { username: 'bob' } }]);
  });
});

describe('ChatState.restore, the undo of every in-memory room change whose write failed', () => {
  const v1: Room = {
    _id: 'R1', t: 'l', fname: 'Ann', status: 'queued', open: true, msgs: 1, ts: '2026-12-03T10:00:00.000Z', _updatedAt: '2026-12-03T10:00:00.000Z',
    code: 1, v: { _id: 'v1', username: 'guest-1', token: 'token-1', status: 'online' }, livechatData: {}, source: { type: 'widget' }, tags: [],
  };
  const served: Room = { ...v1, status: 'served', servedBy: { _id: 'alice', username: 'alice', ts: v1.ts } };

  it('puts the previous version back while the failed one is still current', () => {
    const state = new ChatState();
    state.set(v1);
    state.set(served);
    state.restore(served, v1);
    expect(state.get('R1')).toBe(v1);
    expect(state.loadOf('alice')).toBe(0);
  });

  it('keeps the messages appended since: the room goes back to the queue with their seqs', () => {
    const state = new ChatState();
    state.set(v1);
    state.set(served);
    const withMessage: Room = { ...served, msgs: 2, lm: '2026-12-03T10:00:05.000Z', _updatedAt: '2026-12-03T10:00:05.000Z', waitingResponse: true };
    state.set(withMessage);
    state.restore(served, v1); // the assignment's write failed after a message to the served room was written
    expect(state.get('R1')).toEqual({ ...v1, msgs: 2, lm: withMessage.lm, _updatedAt: withMessage._updatedAt, waitingResponse: true });
    expect(state.queue().map((room) => room._id)).toEqual(['R1']);
    expect(state.loadOf('alice')).toBe(0);
  });

  it('leaves a room another kind of change was made to since, and a room closed since', () => {
    const state = new ChatState();
    state.set(v1);
    state.set(served);
    const renamed: Room = { ...served, fname: 'Ann B.' };
    state.set(renamed);
    state.restore(served, v1);
    expect(state.get('R1')).toBe(renamed);

    state.set({ ...renamed, status: 'closed', open: false });
    state.restore(renamed, served);
    expect(state.get('R1')).toBeUndefined();
  });

  it('brings back a room whose close failed', () => {
    const state = new ChatState();
    state.set(served);
    const closed: Room = { ...served, status: 'closed', open: false, msgs: 2 };
    state.set(closed);
    state.restore(closed, served);
    expect(state.get('R1')).toBe(served);
  });
});
