/** The shapes the app reads from the visitor API (`GET livechat/config`, messages, agents): spec §1.3. */
import type { Trigger } from '../shared/protocol';

export interface Department {
  _id: string;
  name: string;
  showOnRegistration: boolean;
  showOnOfflineForm: boolean;
}

export interface CustomField {
  _id: string;
  label: string;
  regexp?: string;
  required?: boolean;
  type?: 'input' | 'select';
  defaultValue?: string;
  options?: string[];
}

export interface Theme {
  title?: string;
  color?: string;
  offlineTitle?: string;
  offlineColor?: string;
  fontColor?: string;
  iconColor?: string;
  position?: string;
}

export interface Guest {
  _id: string;
  username: string;
  name?: string;
  token: string;
  visitorEmails?: { address: string }[];
  department?: string;
}

/** An agent as visitors see them, or `{hiddenInfo:true}` when the site hides agent info. */
export interface Agent {
  _id?: string;
  username?: string;
  name?: string;
  status?: string;
  hiddenInfo?: boolean;
}

export interface WidgetConfig {
  enabled: boolean;
  online: boolean;
  settings: {
    registrationForm?: boolean;
    nameFieldRegistrationForm?: boolean;
    emailFieldRegistrationForm?: boolean;
    displayOfflineForm?: boolean;
    language?: string;
    forceAcceptDataProcessingConsent?: boolean;
    agentHiddenInfo?: boolean;
    clearLocalStorageWhenChatEnded?: boolean;
    limitTextLength?: number | false;
  };
  theme: Theme;
  messages: {
    offlineMessage?: string;
    offlineSuccessMessage?: string;
    offlineUnavailableMessage?: string;
    conversationFinishedMessage?: string;
    conversationFinishedText?: string;
    registrationFormMessage?: string;
    dataProcessingConsentText?: string;
  };
  triggers?: Trigger[];
  departments: Department[];
  customFields?: CustomField[];
  guest?: Guest;
  room?: { _id: string; open?: boolean; servedBy?: { username: string } };
  agent?: Agent;
}

export interface MessageUser {
  _id: string;
  username: string;
  name?: string;
}

/** A message as the server sends it, plus what only this browser knows. */
export interface ChatMessage {
  _id: string;
  rid?: string;
  seq?: number;
  msg: string;
  ts: string;
  u: MessageUser;
  t?: string;
  alias?: string;
  transferData?: { scope?: string; transferredTo?: { name?: string; username: string }; nextDepartment?: { name: string } };
  /** Local only: the visitor's message on its way or refused. */
  status?: 'sending' | 'failed';
  /** Local only: a trigger's message, shown in this browser and never stored. */
  trigger?: boolean;
}
