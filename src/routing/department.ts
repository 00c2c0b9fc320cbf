/**
 * Which department a new room belongs to (Rocket.Chat §4.2, "Department selection when a room is created"):
 * the visitor's choice if it is still an enabled department; else, when exactly one department is enabled,
 * that one; else the first enabled `showOnRegistration` department with an online agent; else none, and the
 * room is routed to the pool of every agent.
 */
export interface DepartmentView {
  id: string;
  enabled: boolean;
  showOnRegistration: boolean;
  agents: readonly string[];
}

export function chooseDepartment(
  departments: readonly DepartmentView[],
  requested: string | undefined,
  isOnline: (username: string) => boolean,
): string | undefined {
  const enabled = departments.filter((d) => d.enabled);
  if (requested !== undefined && enabled.some((d) => d.id === requested)) return requested;
  if (enabled.length === 1) return enabled[0]!.id;
  return enabled.find((d) => d.showOnRegistration && d.agents.some(isOnline))?.id;
}

/** The agents a room of `departmentId` may go to, in round-robin order. */
export function agentsFor(
  departments: readonly DepartmentView[],
  allAgents: readonly string[],
  departmentId: string | undefined,
): readonly string[] {
  if (departmentId === undefined) return allAgents;
  return departments.find((d) => d.id === departmentId)?.agents ?? [];
}
