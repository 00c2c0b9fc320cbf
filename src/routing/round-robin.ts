/**
 * Round robin over an ordered list of agents. Pure: the caller supplies the order (the department's `agents` list,
 * or every agent in config order), who is eligible right now, and the persisted cursor (the username that got the
 * previous chat). The next chat goes to the first eligible agent after the cursor, wrapping around, so every
 * eligible agent gets one chat per turn and ineligible ones are skipped without losing their place.
 *
 * A cursor naming an agent who is no longer in the list (removed by a reload) restarts at the top.
 */
export function pickRoundRobin(
  order: readonly string[],
  isEligible: (username: string) => boolean,
  cursor: string | undefined,
): string | undefined {
  if (order.length === 0) return undefined;
  const start = cursor === undefined ? 0 : order.indexOf(cursor) + 1; // indexOf -1 → 0: restart at the top
  for (let i = 0; i < order.length; i++) {
    const username = order[(start + i) % order.length]!;
    if (isEligible(username)) return username;
  }
  return undefined;
}
