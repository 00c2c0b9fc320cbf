/**
 * The `message` frame of a chat message, as text: built around the message's remembered JSON (the same string
 * the store wrote), so a message reaches the store and every socket of its room with one serialisation. Agents
 * get the message without the visitor's token; a message without a token (an agent's) is the same frame for both.
 */
import { jsonText } from '../domain/json-text.js';
import { messageForAgent, type Message } from '../domain/message.js';

export function visitorMessageFrame(message: Message): string {
  return frameAround(message.rid, jsonText(message));
}

/** Remembered per message: a visitor's message reaches its agent and every manager watching. */
const agentFrames = new WeakMap<Message, string>();

export function agentMessageFrame(message: Message): string {
  if (message.token === undefined) return visitorMessageFrame(message);
  let text = agentFrames.get(message);
  if (text === undefined) {
    text = frameAround(message.rid, JSON.stringify(messageForAgent(message)));
    agentFrames.set(message, text);
  }
  return text;
}

/** Exactly JSON.stringify({ type: 'message', rid, message }), with the message's text given. */
function frameAround(rid: string, messageJson: string): string {
  return `{"type":"message","rid":${JSON.stringify(rid)},"message":${messageJson}}`;
}
