/**
 * The `message` frame of a chat message, as text: built around the message's remembered JSON (the same string
 * the store wrote), so a message reaches the store and every socket of its room with one serialisation. Agents
 * get the message without the visitor's token; a message without a token (an agent's) is the same frame for both.
 */
import { jsonText, recall, remember } from '../domain/json-text.js';
import { messageForAgent, type Message } from '../domain/message.js';

export function visitorMessageFrame(message: Message): string {
  return frameAround(message.rid, jsonText(message));
}

/** Remembered on the message (see json-text.ts): a visitor's message reaches its agent and every manager watching. */
const AGENT_FRAME = Symbol('agentFrame');

export function agentMessageFrame(message: Message): string {
  if (message.token === undefined) return visitorMessageFrame(message);
  let text = recall(message, AGENT_FRAME);
  if (text === undefined) {
    text = frameAround(message.rid, JSON.stringify(messageForAgent(message)));
    remember(message, AGENT_FRAME, text);
  }
  return text;
}

/** Exactly JSON.stringify({ type: 'message', rid, message }), with the message's text given. */
function frameAround(rid: string, messageJson: string): string {
  return `{"type":"message","rid":${JSON.stringify(rid)},"message":${messageJson}}`;
}
