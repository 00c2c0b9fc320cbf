/**
 * Department rules (spec §4.2): with one enabled department every chat goes to it and only its agents serve;
 * with several, the visitor chooses at registration and a chat without a choice falls back to the first enabled
 * department shown on registration that has an online agent, else to the pool of every agent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chatDaemons, expectRcError, loginAs, openChat, servedByOf, VisitorClient } from '../helpers/chat.js';

const daemons = chatDaemons();
afterEach(() => daemons.cleanup());

async function chat(url: string, department?: string) {
  const { reply, room, visitor } = await openChat(url, department === undefined ? {} : { department });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return { who: servedByOf(room), department: room.departmentId, room, visitor };
}

describe('one enabled department', () => {
  it('is the only department the widget sees', async () => {
    const { url } = await daemons.start('one-department');
    await loginAs(url, 'alice');
    const config = await new VisitorClient(url).config();
    expect(config.body.config.departments).toEqual([{ _id: 'support', name: 'Support', showOnRegistration: false, showOnOfflineForm: true }]);
  });

  it('gets every chat, served in turn by its own agents in its own order, never by others', async () => {
    const { url } = await daemons.start('one-department'); // support: [carol, bob]; alice only in the disabled archive
    const alice = await loginAs(url, 'alice');
    await loginAs(url, 'bob');
    await loginAs(url, 'carol');
    const chats = [];
    for (let i = 0; i < 6; i++) chats.push(await chat(url));
    expect(chats.map((c) => [c.who, c.department])).toEqual([
      ['carol', 'support'],
      ['bob', 'support'],
      ['carol', 'support'],
      ['bob', 'support'],
      ['carol', 'support'],
      ['bob', 'support'],
    ]);
    // Choosing it explicitly changes nothing.
    expect([await chat(url, 'support')].map((c) => [c.who, c.department])).toEqual([['carol', 'support']]);
    expect((await alice.rooms()).body.rooms).toEqual([]);
  });

  it('a disabled department cannot be chosen', async () => {
    const { url } = await daemons.start('one-department');
    await loginAs(url, 'carol');
    expectRcError(await new VisitorClient(url).register({ department: 'archive' }), 'error-invalid-department', 'The provided department is invalid');
  });
});

describe('several departments', () => {
  it('the widget sees the enabled departments that have agents, with their registration flags', async () => {
    const { url } = await daemons.start('multi-department');
    await loginAs(url, 'alice');
    const config = await new VisitorClient(url).config();
    expect(config.body.config.departments).toEqual([
      { _id: 'partners', name: 'Partner desk', showOnRegistration: false, showOnOfflineForm: false },
      { _id: 'sales', name: 'Sales', showOnRegistration: true, showOnOfflineForm: true },
      { _id: 'support', name: 'Support', showOnRegistration: true, showOnOfflineForm: false },
    ]);
  });

  it('routes to the chosen department, round robin with a cursor per department', async () => {
    const { url } = await daemons.start('multi-department'); // sales: [alice, bob]; support: [bob, carol]
    for (const name of ['alice', 'bob', 'carol', 'dave']) await loginAs(url, name);
    const chats = [];
    for (const department of ['sales', 'support', 'sales', 'support', 'sales', 'support', 'partners']) chats.push(await chat(url, department));
    expect(chats.map((c) => [c.department, c.who])).toEqual([
      ['sales', 'alice'],
      ['support', 'bob'],
      ['sales', 'bob'],
      ['support', 'carol'],
      ['sales', 'alice'],
      ['support', 'bob'],
      ['partners', 'dave'],
    ]);
  });

  it('accepts the department by name too, and remembers the choice on the visitor', async () => {
    const { url } = await daemons.start('multi-department');
    await loginAs(url, 'carol');
    const visitor = new VisitorClient(url);
    const registered = await visitor.register({ name: 'Sam', department: 'Support' });
    expect(registered.status).toBe(200);
    expect(registered.body.visitor.department).toBe('support');
    expect((await visitor.config()).body.config.guest).toMatchObject({ department: 'support' });
    const opened = await visitor.room();
    expect(opened.body.room).toMatchObject({ departmentId: 'support', servedBy: { username: 'carol' } });
  });

  it('an unknown or disabled department is refused', async () => {
    const { url } = await daemons.start('multi-department');
    await loginAs(url, 'carol');
    for (const department of ['nope', 'legacy', 'Legacy']) {
      expectRcError(await new VisitorClient(url).register({ department }), 'error-invalid-department', 'The provided department is invalid');
    }
  });

  it('without a choice: the first department shown on registration with an online agent', async () => {
    const { url } = await daemons.start('multi-department');
    for (const name of ['alice', 'bob', 'carol', 'dave']) await loginAs(url, name);
    const chats = [];
    for (let i = 0; i < 3; i++) chats.push(await chat(url));
    // legacy (disabled) and partners (not on registration) come first in the file but are skipped.
    expect(chats.map((c) => [c.department, c.who])).toEqual([
      ['sales', 'alice'],
      ['sales', 'bob'],
      ['sales', 'alice'],
    ]);
  });

  it('without a choice, when nobody in the first department is online: the next one that has someone', async () => {
    const { url } = await daemons.start('multi-department');
    await loginAs(url, 'carol');
    await loginAs(url, 'dave');
    const alice = await loginAs(url, 'alice');
    expect((await alice.setStatus('away')).status).toBe(200);
    const c = await chat(url);
    expect([c.department, c.who]).toEqual(['support', 'carol']);
  });

  it('without a choice, when no registration department has anyone online: no department, every agent', async () => {
    const { url } = await daemons.start('multi-department');
    await loginAs(url, 'dave'); // only in partners, which is not shown on registration
    const c = await chat(url);
    expect([c.department, c.who]).toEqual([undefined, 'dave']);
  });

  it('the visitor switches department: the chat moves there with a livechat_transfer_history message', async () => {
    const { url } = await daemons.start('multi-department');
    for (const name of ['alice', 'bob', 'carol']) await loginAs(url, name);
    const { visitor, room, who } = await chat(url, 'sales');
    expect(who).toBe('alice');
    const moved = await visitor.transfer(room._id, 'support');
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ success: true, room: { _id: room._id, departmentId: 'support', status: 'served', servedBy: { username: 'bob' } } });
    const [last] = (await visitor.history(room._id)).body.messages;
    expect(last).toMatchObject({
      seq: 1,
      t: 'livechat_transfer_history',
      transferData: {
        scope: 'department',
        transferredBy: { type: 'visitor' },
        previousDepartment: 'sales',
        nextDepartment: { _id: 'support', name: 'Support' },
      },
    });
  });
});
