import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/domain/message.js';
import { RoomStream } from '../../../src/realtime/room-stream.js';

type FetchPage = (rid: string, afterSeq: number, limit: number) => Promise<Message[]>;

/** A stream over plain functions, as a session is over its connection and the services. */
class TestStream extends RoomStream {
  constructor(
    private readonly send: (message: Message) => void,
    private readonly read: FetchPage,
    private readonly options: { pageSize?: number; open?: () => boolean } = {},
  ) {
    super();
  }

  protected override deliver(message: Message): void {
    this.send(message);
  }

  protected override fetchPage(rid: string, afterSeq: number, limit: number): Promise<Message[]> {
    return this.read(rid, afterSeq, limit);
  }

  protected override get clientOpen(): boolean {
    return this.options.open?.() ?? true;
  }

  protected override get pageSize(): number {
    return this.options.pageSize ?? super.pageSize;
  }
}

const msg = (seq: number, rid = 'R1'): Message => ({ _id: `m${seq}`, rid, seq, msg: `#${seq}`, ts: '', _updatedAt: '', u: { _id: 'u', username: 'u' }, mentions: [], channels: [] });

/** A store holding seqs 1..n of room R1, whose reads the test releases by hand. */
function fakeStore(n: number, defaultLimit = 1000) {
  const stored = Array.from({ length: n }, (_, i) => msg(i + 1));
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  return {
    stored,
    release: () => release(),
    /** Like the services: at most `limit` per read (a default page without one). */
    fetchAfter: async (_rid: string, after: number, limit?: number) => {
      await gate;
      return stored.filter((m) => m.seq > after).slice(0, limit ?? defaultLimit);
    },
  };
}

/** A stream over `store` read in pages of `pageSize`, recording where each read started and the seqs sent. */
function pagedStream(store: ReturnType<typeof fakeStore>, pageSize: number) {
  const reads: number[] = [];
  const sent: number[] = [];
  const stream = new TestStream((m) => sent.push(m.seq), (rid, after, limit) => {
    reads.push(after);
    return store.fetchAfter(rid, after, limit);
  }, { pageSize });
  return { stream, reads, sent };
}

describe('RoomStream', () => {
  it('holds a known room until resume, then replays and flushes live messages once, in order', async () => {
    const store = fakeStore(5);
    const sent: number[] = [];
    const stream = new TestStream((m) => sent.push(m.seq), store.fetchAfter);
    stream.hold('R1', 5);
    stream.live(msg(6)); // arrives before the client resumes: held
    expect(sent).toEqual([]);
    const resumed = stream.resume('R1', 2);
    store.stored.push(msg(6), msg(7)); // written while the replay reads
    stream.live(msg(7)); // live during the replay: buffered
    store.release();
    await resumed;
    stream.live(msg(8));
    expect(sent).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('streams a room that appears while connected, and a later resume repeats nothing', async () => {
    const store = fakeStore(3);
    const sent: number[] = [];
    const stream = new TestStream((m) => sent.push(m.seq), store.fetchAfter);
    stream.live(msg(3));
    store.release();
    await stream.resume('R1', 0);
    stream.live(msg(3));
    stream.live(msg(4));
    expect(sent).toEqual([3, 4]);
  });

  it('forgets a room whose replay fails, so a refused resume leaves nothing behind', async () => {
    const sent: number[] = [];
    const stream = new TestStream((m) => sent.push(m.seq), async () => {
      throw new Error('invalid-room');
    });
    await expect(stream.resume('R9', 0)).rejects.toThrow('invalid-room');
    stream.live(msg(1, 'R9'));
    expect(sent).toEqual([1]); // streamed as a new room, not stuck behind a dead buffer
  });

  it('replays in pages until a short page, however many messages were missed, with live ones arriving meanwhile', async () => {
    const store = fakeStore(23, 5);
    const { stream, reads, sent } = pagedStream(store, 5);
    stream.hold('R1', 23);
    const resumed = stream.resume('R1', 0);
    store.stored.push(msg(24));
    stream.live(msg(24)); // written and fanned out during the replay: buffered, then flushed once
    store.release();
    await resumed;
    expect(sent).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(reads).toEqual([0, 5, 10, 15, 20]); // the page after 20 holds 21..24: short, so the last read
  });

  it('stops paging once the connection is gone', async () => {
    const store = fakeStore(20);
    let open = true;
    const sent: number[] = [];
    const stream = new TestStream(
      (m) => {
        sent.push(m.seq);
        if (m.seq === 4) open = false; // e.g. cut off at the send-buffer cap
      },
      store.fetchAfter,
      { pageSize: 4, open: () => open },
    );
    store.release();
    await stream.resume('R1', 0);
    expect(sent).toEqual([1, 2, 3, 4]);
  });

  it('keeps each room apart however many there are, and forgets one without touching the others', async () => {
    const sent: string[] = [];
    const stream = new TestStream((m) => sent.push(`${m.rid}:${m.seq}`), async () => []);
    stream.hold('R1', 1);
    stream.live(msg(2, 'R2')); // a second room
    stream.live(msg(5, 'R3')); // and a third
    stream.live(msg(2, 'R1')); // held
    stream.forget('R2');
    stream.live(msg(3, 'R3'));
    stream.live(msg(6, 'R3'));
    await stream.resume('R1', 1);
    stream.live(msg(1, 'R2')); // R2 was forgotten: streams anew
    stream.forget('R1');
    stream.forget('R3');
    stream.live(msg(9, 'R3'));
    expect(sent).toEqual(['R2:2', 'R3:5', 'R3:6', 'R1:2', 'R2:1', 'R3:9']);
  });

  it('runs resumes of one room one after another', async () => {
    const store = fakeStore(6, 2);
    const { stream, reads, sent } = pagedStream(store, 2);
    const first = stream.resume('R1', 0);
    const second = stream.resume('R1', 3); // waits for the first, then repeats nothing
    store.release();
    await Promise.all([first, second]);
    expect(sent).toEqual([1, 2, 3, 4, 5, 6]);
    expect(reads).toEqual([0, 2, 4, 6, 6]); // the second starts after what the first sent, not at 3
  });
});
