import type { ConfigSnapshot } from '../config/index.js';

type Department = ConfigSnapshot['departments'][number];

/** An enabled department named by id or, as the widget's `setDepartment` allows, by name. */
export function resolveDepartment(config: ConfigSnapshot, idOrName: string): Department | undefined {
  const byId = config.departmentById[idOrName];
  const department = byId ?? config.departments.find((d) => d.name === idOrName);
  return department?.enabled ? department : undefined;
}
