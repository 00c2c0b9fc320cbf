/**
 * Group commit: writes submitted during one turn of the event loop become one LevelDB write. DESIGN.md measured
 * why: one awaited write per chat message is far slower than one write per tick.
 *
 * A group is flushed from `setImmediate`, not a microtask: messages from different sockets arrive in separate
 * callbacks of the same poll phase, with microtasks drained between them; the check phase runs after all of them.
 *
 * Invariants:
 * - At most one group is open (accepting ops) and at most one is being written. Groups are written one at a time,
 *   in the order they were opened. LevelDB's native writes run on a thread pool, so two concurrent writes could
 *   land in either order, and a later change to a key could be overwritten by an earlier one.
 * - A group stays open until its own write starts, so while a write is in flight the next group keeps growing
 *   instead of queueing behind it.
 * - Every caller in a group receives the same promise: all ops of the group are applied or none. Callers validate
 *   their ops before submitting, so the merged write fails only for reasons shared by all of them (I/O).
 */
export class GroupCommit<Op> {
  #open: { ops: Op[]; written: Promise<void> } | undefined;
  /** Settles when the most recently opened group has been written or has failed. Never rejects. */
  #tail: Promise<void> = Promise.resolve();

  constructor(private readonly write: (ops: Op[]) => Promise<void>) {}

  /** Adds ops to the open group; resolves or rejects with that group's write. */
  submit(ops: readonly Op[]): Promise<void> {
    const group = this.#open ?? this.#openGroup();
    for (const op of ops) group.ops.push(op);
    return group.written;
  }

  /** Settles once every group submitted so far has been written or has failed. */
  drain(): Promise<void> {
    return this.#tail;
  }

  #openGroup(): { ops: Op[]; written: Promise<void> } {
    const ops: Op[] = [];
    const previous = this.#tail;
    const written = nextCheckPhase()
      .then(() => previous)
      .then(() => {
        this.#open = undefined; // this group is always the open one here: a new group opens only after this line
        return this.write(ops);
      });
    this.#open = { ops, written };
    this.#tail = written.then(ignore, ignore);
    return this.#open;
  }
}

function nextCheckPhase(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function ignore(): void {}
