export { AgentClient, type AgentClientOptions, type AgentLogin } from './agent-client.js';
export { VisitorClient, type VisitorClientOptions } from './visitor-client.js';
export { Channel, ServerError, type ConnectionState, type Frame } from './channel.js';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export type { SocketFactory, SocketLike } from './socket.js';
