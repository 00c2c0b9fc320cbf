/**
 * Custom field values: only fields declared in YAML, checked against their `regexp` and `options`; `scope`
 * decides whether the value belongs to the visitor or to the room. `overwrite: false` keeps a value already set.
 */
import type { ConfigSnapshot } from '../config/index.js';
import { AppError } from '../domain/errors.js';
import type { Room } from '../domain/room.js';
import type { Visitor } from '../domain/visitor.js';

export interface CustomFieldInput {
  key: string;
  value: string;
  overwrite: boolean;
}

/**
 * `strict`: an undeclared key is an error (the custom.field endpoints). `registration`: like Rocket.Chat's
 * registration, only declared visitor-scoped fields are taken and others are ignored.
 */
export type CustomFieldMode = 'strict' | 'registration';

export function applyCustomFields(
  config: ConfigSnapshot,
  visitor: Visitor,
  inputs: readonly CustomFieldInput[],
  mode: CustomFieldMode,
  room?: Room,
): { visitor: Visitor; room?: Room } {
  const visitorData = { ...visitor.livechatData };
  const roomData = { ...(room ? room.livechatData : visitor.roomFields) };
  for (const input of inputs) {
    const field = config.customFields.find((f) => f.id === input.key);
    if (!field || (mode === 'registration' && field.scope !== 'visitor')) {
      if (mode === 'registration') continue;
      throw new AppError('invalid-custom-field', '');
    }
    checkValue(config, field, input.value);
    const target = field.scope === 'visitor' ? visitorData : roomData;
    // Own keys only: a field may be named like an Object.prototype member (`constructor`, `toString`).
    if (input.overwrite || !Object.hasOwn(target, field.id)) target[field.id] = input.value;
  }
  const nextVisitor: Visitor = { ...visitor, livechatData: visitorData };
  if (room) return { visitor: nextVisitor, room: { ...room, livechatData: roomData } };
  if (Object.keys(roomData).length > 0) nextVisitor.roomFields = roomData;
  return { visitor: nextVisitor };
}

function checkValue(config: ConfigSnapshot, field: ConfigSnapshot['customFields'][number], value: string): void {
  if (value === '') return;
  const pattern = config.customFieldPatterns[field.id];
  const allowed = field.type !== 'select' || (field.options ?? []).includes(value);
  if ((pattern && !pattern.test(value)) || !allowed) {
    throw new AppError('error-invalid-custom-field-value', `Invalid value for ${field.label} field`);
  }
}
