/**
 * The `config` object of `GET livechat/config` (Rocket.Chat spec §1.3), built from the YAML and live state.
 * Always the full shape, even when livechat is disabled: the 1.13.3 widget reads `settings.*` unguarded.
 */
import type { ConfigSnapshot } from '../config/index.js';
import type { Room } from '../domain/room.js';
import type { Visitor } from '../domain/visitor.js';
import type { AgentView } from './api.js';

export interface WidgetState {
  online: boolean;
  visitor?: Visitor;
  room?: Room;
  agent?: AgentView;
  soundUrl: string;
}

export function widgetConfig(config: ConfigSnapshot, state: WidgetState): Record<string, unknown> {
  const a = config.appearance;
  return {
    enabled: config.livechat.enabled,
    online: state.online,
    settings: {
      registrationForm: a.registrationForm.enabled,
      allowSwitchingDepartments: a.allowSwitchingDepartments,
      nameFieldRegistrationForm: a.registrationForm.nameField,
      emailFieldRegistrationForm: a.registrationForm.emailField,
      displayOfflineForm: a.offlineForm.enabled,
      videoCall: false,
      fileUpload: false, // uploads are not offered yet; the upload endpoint says so
      language: a.language,
      transcript: a.transcript.enabled,
      historyMonitorType: 'url',
      forceAcceptDataProcessingConsent: a.dataProcessingConsent.required,
      showConnecting: false,
      agentHiddenInfo: !a.showAgentInfo,
      clearLocalStorageWhenChatEnded: a.clearLocalStorageWhenChatEnded,
      limitTextLength: config.livechat.messageMaxLength,
    },
    theme: { title: a.title, color: a.color, offlineTitle: a.offlineTitle, offlineColor: a.offlineColor, actionLinks: { webrtc: [], jitsi: [] }, position: a.position },
    messages: {
      offlineMessage: a.offlineForm.message,
      offlineSuccessMessage: a.offlineForm.successMessage,
      offlineUnavailableMessage: a.offlineForm.unavailableMessage,
      conversationFinishedMessage: a.conversationFinished.message,
      conversationFinishedText: a.conversationFinished.text,
      transcriptMessage: a.transcript.message,
      registrationFormMessage: a.registrationForm.message,
      dataProcessingConsentText: a.dataProcessingConsent.text,
    },
    survey: { items: ['satisfaction', 'agentKnowledge', 'agentResposiveness', 'agentFriendliness'], values: ['1', '2', '3', '4', '5'] },
    triggers: config.triggers
      .filter((t) => t.enabled)
      .map((t) => ({ _id: t.id, name: t.name, enabled: true, runOnce: t.runOnce, conditions: t.conditions, actions: t.actions })),
    // Rocket.Chat lists only enabled departments with agents (`numAgents > 0`).
    departments: config.departments
      .filter((d) => d.enabled && d.agents.length > 0)
      .map((d) => ({ _id: d.id, name: d.name, showOnRegistration: d.showOnRegistration, showOnOfflineForm: d.showOnOfflineForm })),
    resources: { sound: state.soundUrl, emojis: [] },
    customFields: config.customFields
      .filter((f) => f.visibility === 'visible' && f.scope === 'visitor' && f.public)
      .map((f) => ({
        _id: f.id,
        label: f.label,
        regexp: f.regexp ?? '',
        required: f.required,
        type: f.type,
        defaultValue: f.defaultValue ?? '',
        ...(f.options && { options: [...f.options] }),
      })),
    ...(state.visitor && {
      guest: {
        _id: state.visitor._id,
        name: state.visitor.name,
        username: state.visitor.username,
        token: state.visitor.token,
        visitorEmails: state.visitor.visitorEmails,
        department: state.visitor.department,
      },
    }),
    ...(state.room && { room: { _id: state.room._id, departmentId: state.room.departmentId, servedBy: state.room.servedBy, open: state.room.open } }),
    ...(state.agent && { agent: state.agent }),
  };
}
