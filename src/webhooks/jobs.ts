/**
 * Delivery jobs as they sit in the store: one job per (event, webhook), in the `outbox` collection while pending
 * and in `deadLetters` once given up on.
 *
 * Outbox keys are `<webhookId>!<dueAt, 15 digits>!<jobId>`: the jobs of one webhook sort by when their next
 * attempt is due, so the worker finds what is due with a short range read per webhook and one webhook's backlog
 * never sits in front of another's. Webhook ids are `[a-z0-9_-]`, all above '!', so a webhook's keys are exactly
 * those between `<id>!` and `<id>"`. Dead letters are keyed by job id (an operator redelivers by id).
 */
import type { WebhookEvent } from '../config/schema-types.js';
import type { Message } from '../domain/message.js';
import type { Room } from '../domain/room.js';
import type { BatchOp } from '../domain/ports/store.js';
import { randomId } from '../services/ids.js';

/** The agent as the config described them when the event happened (a later reload may remove them). */
export interface AgentFacts {
  _id: string;
  username: string;
  name: string;
  email: string | null;
}

/**
 * What `opsFor` knows synchronously about a room event. The visitor record and the room's messages are read
 * from the store by the worker, which then freezes the payload into the job.
 */
export interface RoomSource {
  /** The room as the event left it; `msgs` is the seq of its last message then. */
  room: Room;
  agent?: AgentFacts;
  /** Forwarded: who served the room and in which department before the transfer. */
  previous?: { servedBy?: { _id: string; username: string }; departmentId?: string };
  /** Message events carry just this message instead of the room's history. */
  message?: Message;
}

export interface DeliveryJob {
  /** Sent as `webhook-id`: the same on every attempt and every redelivery of this event (receivers dedupe on it). */
  id: string;
  /** The configured webhook's id; its url, secret and retry policy are read from the active config per attempt. */
  webhook: string;
  event: WebhookEvent;
  createdAt: string;
  /** Epoch milliseconds at which the next attempt is due; part of the key. */
  dueAt: number;
  /** Attempts started so far. Persisted before each attempt starts, so an attempt cut short by kill -9 counts. */
  attempts: number;
  /** Room events: present until the payload is frozen. */
  source?: RoomSource;
  /**
   * The request body, fixed before the first attempt so every attempt (and redelivery) sends the same bytes.
   * Offline messages carry it from the start: everything they need is in the event.
   */
  payload?: Record<string, unknown>;
  /** What went wrong on the last failed attempt: `HTTP 503`, `ECONNREFUSED`, `timeout after 5s`. */
  lastError?: string;
}

export type DeadLetterReason = 'attempts-exhausted' | 'webhook-removed';

export interface DeadLetter extends DeliveryJob {
  failedAt: string;
  reason: DeadLetterReason;
}

const DUE_DIGITS = 15; // epoch ms fit in 13 digits until the year 2286; 15 leaves room and keeps keys fixed-width

export function newJobId(): string {
  return `msg_${randomId(24)}`;
}

export function jobKey(job: Pick<DeliveryJob, 'webhook' | 'dueAt' | 'id'>): string {
  return `${job.webhook}!${String(Math.max(0, Math.floor(job.dueAt))).padStart(DUE_DIGITS, '0')}!${job.id}`;
}

export function webhookOfKey(key: string): string {
  return key.slice(0, key.indexOf('!'));
}

/** Range bounds selecting every outbox job of one webhook, in due order. */
export function jobsOf(webhook: string): { gte: string; lt: string } {
  return { gte: `${webhook}!`, lt: `${webhook}"` };
}

export function putJob(job: DeliveryJob): BatchOp {
  return { type: 'put', collection: 'outbox', key: jobKey(job), value: job };
}
