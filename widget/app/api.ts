/**
 * The visitor REST calls the app makes besides those of `VisitorClient` (src/client, shared with the terminal
 * tools and tests). Everything goes to the server that served this page.
 */
import { callJson } from '../../src/client/http';
import type { PageInfo } from '../shared/protocol';
import type { Agent, WidgetConfig } from './types';

/** The server's root URL: this page is `<root>/livechat`. */
export const SERVER = location.origin + location.pathname.replace(/\/livechat(\/.*)?$/, '');

const enc = encodeURIComponent;

/** The shape the server accepts for client-made visitor tokens. */
export const VISITOR_TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

export async function fetchConfig(token: string): Promise<WidgetConfig> {
  return (await callJson<{ config: WidgetConfig }>(SERVER, 'GET', `/api/v1/livechat/config?token=${enc(token)}`)).config;
}

export function openRoom(token: string, agentId?: string): Promise<{ room: { _id: string; status?: string }; newRoom: boolean }> {
  return callJson(SERVER, 'GET', `/api/v1/livechat/room?token=${enc(token)}${agentId ? `&agentId=${enc(agentId)}` : ''}`);
}

export async function nextAgent(token: string, department?: string): Promise<Agent | undefined> {
  const query = department ? `?department=${enc(department)}` : '';
  return (await callJson<{ agent?: Agent }>(SERVER, 'GET', `/api/v1/livechat/agent.next/${enc(token)}${query}`)).agent;
}

export async function sendCustomField(token: string, key: string, value: string, overwrite: boolean): Promise<void> {
  await callJson(SERVER, 'POST', '/api/v1/livechat/custom.field', { body: { token, key, value, overwrite } });
}

export async function sendPageVisit(token: string, rid: string | undefined, pageInfo: PageInfo): Promise<void> {
  await callJson(SERVER, 'POST', '/api/v1/livechat/page.visited', { body: { token, ...(rid && { rid }), pageInfo } });
}

export async function sendOfflineMessage(body: { name: string; email: string; message: string; department?: string; host?: string }): Promise<void> {
  await callJson(SERVER, 'POST', '/api/v1/livechat/offline.message', { body });
}

/** 64 hex characters from the browser's CSPRNG: a new visitor token. */
export function newToken(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Drops empty values: an empty form field means "not given". */
export function withoutEmpty<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}
