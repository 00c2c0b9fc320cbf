/**
 * Domain objects → wire JSON. Success bodies are the payload with `success: true` added (Rocket.Chat's shape).
 * Internal fields never leave: a visitor's pending room fields; for agents, the visitor's token.
 */
import type { Visitor } from '../domain/visitor.js';

export function ok<T extends object>(payload: T): T & { success: true } {
  return { ...payload, success: true };
}

export function presentVisitor(visitor: Visitor): Omit<Visitor, 'roomFields'> {
  const { roomFields: _pending, ...rest } = visitor;
  return rest;
}
