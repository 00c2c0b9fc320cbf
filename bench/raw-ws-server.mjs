#!/usr/bin/env node
/**
 * The baseline: a minimal server on plain `ws` that speaks just enough of livechatd's realtime protocol for the
 * product's own client (src/client) to drive it unchanged — `auth` → `ready`, `resume {rid, afterSeq}`,
 * `send {rid, msg, clientMsgId}` → `ack` to the sender and `message` to the other side — plus an agent login that
 * returns the username as the token. No validation, no services, no HTTP framework.
 *
 * Modes (argv[2]):
 * - `forward`: messages live in memory only; ack and forward at once;
 * - `group-commit`: every message is a LevelDB put; puts arriving in one event-loop tick go into one batch()
 *   (written one group at a time; a group keeps filling while the previous one is written), and the ack and the
 *   forward wait for that batch.
 * Rooms are created by the orchestrator (`prepare`) before clients connect, assigned round robin to agents.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { Level } from 'level';
import { writeHeapSnapshot } from 'node:v8';
import { WebSocketServer } from 'ws';
import { serve } from './lib/ipc.mjs';
import { fileDescriptors, memoryAfterGc } from './lib/process-stats.mjs';
import { visitorToken } from './lib/tokens.mjs';

const mode = process.argv[2] ?? 'forward';
const dataDir = process.argv[3];
const rooms = new Map(); // rid → { rid, token, agent, seq, log, visitors: Set<ws> }
const roomOfToken = new Map();
const roomsOfAgent = new Map(); // username → rid[]
const agentSockets = new Map(); // username → Set<ws>
let db = null;

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/api/v1/agent/login') {
      const { username } = JSON.parse(body || '{}');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ success: true, token: username, user: { username, name: username, role: 'agent', status: 'available', departments: [] } }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"success":false,"error":"not found"}');
  });
});
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
server.on('upgrade', (req, socket, head) => {
  const channel = req.url === '/ws/visitor' ? 'visitor' : req.url === '/ws/agent' ? 'agent' : null;
  if (!channel) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => accept(ws, channel));
});

function accept(ws, channel) {
  let who = null; // the room (visitor) or the username (agent)
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (who === null) {
      if (frame.type !== 'auth') return ws.close(4003, 'authenticate first');
      who = channel === 'visitor' ? authVisitor(ws, frame.token) : authAgent(ws, frame.token);
      return;
    }
    if (frame.type === 'resume') return resume(ws, channel, rooms.get(frame.rid), frame.afterSeq);
    if (frame.type === 'send') {
      const room = rooms.get(frame.rid);
      if (!room) return ws.send(JSON.stringify({ type: 'error', code: 'not-found', id: frame.clientMsgId }));
      const user = channel === 'visitor' ? { _id: room.token, username: `guest-${room.rid}` } : { _id: who, username: who };
      append(room, user, frame.msg, frame.clientMsgId, ws, channel === 'visitor' ? agentSockets.get(room.agent) : room.visitors);
    }
  });
  ws.on('close', () => {
    if (channel === 'visitor') who?.visitors.delete(ws);
    else if (who) agentSockets.get(who)?.delete(ws);
  });
}

function authVisitor(ws, token) {
  const room = roomOfToken.get(token);
  if (!room) {
    ws.close(4003, 'unknown visitor token');
    return null;
  }
  ws.send(JSON.stringify({ type: 'ready', room: { _id: room.rid, status: 'served', lastSeq: lastSeq(room) }, agent: { username: room.agent } }));
  return room;
}

function authAgent(ws, username) {
  const set = agentSockets.get(username) ?? new Set();
  set.add(ws);
  agentSockets.set(username, set);
  ws.resumed = new Set();
  const mine = (roomsOfAgent.get(username) ?? []).map((rid) => ({ room: { _id: rid, status: 'served' }, lastSeq: lastSeq(rooms.get(rid)) }));
  ws.send(JSON.stringify({ type: 'ready', user: { username }, rooms: mine, queue: [] }));
  return username;
}

const lastSeq = (room) => room.log.at(-1)?.seq ?? 0;

/**
 * A socket receives a room's live messages only once it resumed that room: what it missed is replayed from
 * memory and it joins the live audience in the same tick, so nothing falls in between (the product's client
 * resumes every room named in `ready`).
 */
function resume(ws, channel, room, afterSeq) {
  if (!room) return;
  for (const message of room.log) if (message.seq > afterSeq) ws.send(JSON.stringify({ type: 'message', rid: room.rid, message }));
  if (channel === 'visitor') room.visitors.add(ws);
  else (ws.resumed ??= new Set()).add(room.rid);
}

function append(room, u, msg, clientMsgId, sender, recipients = []) {
  const message = { _id: clientMsgId, rid: room.rid, seq: ++room.seq, msg, ts: new Date().toISOString(), u };
  // Groups are written in order, so the log (what resume replays) stays in seq order and holds durable messages.
  const deliver = () => {
    room.log.push(message);
    sender.send(JSON.stringify({ type: 'ack', clientMsgId, _id: message._id, seq: message.seq, rid: room.rid }));
    const text = JSON.stringify({ type: 'message', rid: room.rid, message });
    for (const ws of recipients) if (ws.resumed === undefined || ws.resumed.has(room.rid)) ws.send(text);
  };
  if (mode === 'forward') return deliver();
  commit({ type: 'put', key: `${room.rid}!${String(message.seq).padStart(10, '0')}`, value: JSON.stringify(message) }).then(deliver, (err) =>
    sender.send(JSON.stringify({ type: 'error', code: 'store', message: String(err), id: clientMsgId })),
  );
}

// Group commit: one open group collects the puts of a tick; it is written from setImmediate, after the previous
// group's write finished.
let open = null;
let tail = Promise.resolve();
function commit(op) {
  if (!open) {
    const group = { ops: [] };
    const previous = tail;
    group.written = new Promise((resolve) => setImmediate(resolve))
      .then(() => previous)
      .then(() => {
        open = null;
        return db.batch(group.ops, { sync: false });
      });
    tail = group.written.catch(() => undefined);
    open = group;
  }
  open.ops.push(op);
  return open.written;
}

serve({
  async start() {
    if (mode === 'group-commit') {
      mkdirSync(dataDir, { recursive: true });
      db = new Level(dataDir, { valueEncoding: 'utf8' });
      await db.open();
    }
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${server.address().port}`, pid: process.pid, mode };
  },

  /** Rooms for visitors [0, count) of this run, round robin over `agents`. */
  prepare({ runId, count, agents }) {
    for (let i = 0; i < count; i += 1) {
      const rid = `r${i}`;
      const agent = agents[i % agents.length];
      const room = { rid, token: visitorToken(runId, i), agent, seq: 0, log: [], visitors: new Set() };
      rooms.set(rid, room);
      roomOfToken.set(room.token, room);
      if (!roomsOfAgent.has(agent)) roomsOfAgent.set(agent, []);
      roomsOfAgent.get(agent).push(rid);
    }
    return { rooms: rooms.size };
  },

  mem: () => memoryAfterGc(),
  async heapSnapshot({ file }) {
    await memoryAfterGc();
    return writeHeapSnapshot(file);
  },
  fds: () => fileDescriptors(),

  async stop() {
    for (const ws of wss.clients) ws.terminate();
    server.close();
    await tail;
    await db?.close();
    setTimeout(() => process.exit(0), 10);
    return true;
  },
});
