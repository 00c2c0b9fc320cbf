/** The agent as a visitor may see them (Rocket.Chat agent object), honouring the appearance settings. */
import type { ConfigSnapshot } from '../config/index.js';
import type { AgentView } from './api.js';
import type { AgentPresence } from './agent-presence.js';

export function agentView(config: ConfigSnapshot, presence: AgentPresence, username: string): AgentView | undefined {
  const user = config.users[username];
  if (!user) return undefined;
  if (!config.appearance.showAgentInfo) return { hiddenInfo: true };
  return {
    _id: user.username,
    username: user.username,
    name: user.name,
    status: presence.status(user.username),
    ...(config.appearance.showAgentEmail && user.email !== undefined && { emails: [{ address: user.email, verified: true }] }),
  };
}
