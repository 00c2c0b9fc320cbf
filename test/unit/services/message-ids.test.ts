import { describe, expect, it } from 'vitest';
import { AppError, isAppError } from '../../../src/domain/errors.js';
import type { Store } from '../../../src/domain/ports/store.js';
import { ChatState } from '../../../src/services/chat-state.js';
import { createMemoryStore } from '../../../src/store/memory/index.js';
import { fixtureConfig, harness, openChat } from './harness.js';

describe('message ids in use', () => {
  it('the id filter holds every stored id once loaded, and rules out others', async () => {
    const store = createMemoryStore();
    await store.batch([
      { type: 'put', collection: 'messageIds', key: 'stored-1', value: 'R!000000000001' },
      { type: 'put', collection: 'messageIds', key: 'stored-2', value: 'R!000000000002' },
    ]);
    const state = new ChatState();
    expect(state.messageIds.mightContain('anything')).toBe(true); // not loaded yet: every id is asked of the store
    await state.loadMessageIds(store);
    expect(['stored-1', 'stored-2'].map((id) => state.messageIds.mightContain(id))).toEqual([true, true]);
    expect(state.messageIds.mightContain('never-stored')).toBe(false);
  });

  it('keeps an id appended while the scan runs, and a scan that fails leaves every id to the store', async () => {
    const store = createMemoryStore();
    await store.put('messageIds', 'stored-1', 'R!000000000001');
    const state = new ChatState();
    const scan = state.loadMessageIds(store);
    state.messageIds.add('appended-meanwhile'); // what appendMessage does for a message posted during the scan
    await scan;
    expect(['stored-1', 'appended-meanwhile'].map((id) => state.messageIds.mightContain(id))).toEqual([true, true]);

    const failing: Store = {
      ...store,
      range: async function* () {
        yield* [];
        throw new AppError('store-unavailable', 'store: read failed');
      },
    };
    const unlucky = new ChatState();
    await expect(unlucky.loadMessageIds(failing)).rejects.toMatchObject({ code: 'store-unavailable' });
    expect(unlucky.messageIds.mightContain('never-stored')).toBe(true); // "maybe": the store is asked, never wrong
  });

  it('after a restart, an id in use is refused to another visitor and returns the stored message to its author', async () => {
    const config = await fixtureConfig('three-agents.yaml');
    const store = createMemoryStore();
    const before = await harness(config, store);
    await before.services.agents.login({ username: 'alice', password: 'pw', ip: '127.0.0.1' });
    const ann = await openChat(before.services);
    const bob = await openChat(before.services);
    const sent = await before.services.messages.post({ token: ann.token, rid: ann.rid, msg: 'hello', _id: 'client-id-1' });

    const after = await harness(config, store);
    const retried = await after.services.messages.post({ token: ann.token, rid: ann.rid, msg: 'hello', _id: 'client-id-1' });
    expect(retried).toEqual(sent);
    const stolen = await after.services.messages.post({ token: bob.token, rid: bob.rid, msg: 'mine now', _id: 'client-id-1' }).catch((e: unknown) => e);
    expect(isAppError(stolen) && stolen.code).toBe('invalid-message');
    const fresh = await after.services.messages.post({ token: bob.token, rid: bob.rid, msg: 'new', _id: 'client-id-2' });
    expect(fresh).toMatchObject({ _id: 'client-id-2', rid: bob.rid, msg: 'new' });
  });
});
