/* eslint-disable */
/**
 * Generated from schemas/livechat.schema.json by scripts/gen-config-types.mjs (npm run gen:types). Do not edit.
 * These are the shapes after validation: every property with a schema default is present.
 */

/**
 * Open intervals of one day, e.g. ["09:00-12:30", "13:30-17:00"].
 */
export type DayHours = string[];
/**
 * Username: lower-case letters, digits, ".", "-" and "_".
 */
export type Username = string;
/**
 * One condition, selected by name.
 */
export type TriggerCondition =
  PageUrlCondition | TimeOnSiteCondition | ChatOpenedByVisitorCondition | AfterGuestRegistrationCondition;
/**
 * Who the message is from and what it says.
 */
export type SendMessageParams = QueueSenderParams | CustomSenderParams;
/**
 * The message text (shown in the widget only, never stored).
 */
export type TriggerMessage = string;
/**
 * Wait this long after the trigger fires before showing the message (a livechatd extension).
 */
export type DelaySeconds = number;
/**
 * A webhook event type; the payload's type field (Rocket.Chat names).
 */
export type WebhookEvent =
  | 'LivechatSession'
  | 'LivechatOfflineMessage'
  | 'LivechatSessionStart'
  | 'LivechatSessionQueued'
  | 'LivechatSessionTaken'
  | 'LivechatSessionForwarded'
  | 'Message';

/**
 * livechatd configuration: one YAML file, or a directory of *.yaml/*.yml files merged by top-level key in name order. Any string may use ${VAR} or ${VAR:-default} to read the environment (the result is always a string); write $${ for a literal ${.
 */
export interface LivechatConfig {
  server: Server;
  livechat: Livechat;
  /**
   * People who see every chat and the whole queue. A username may appear only once across managers and agents.
   */
  managers: Manager[];
  /**
   * People who answer chats. A username may appear only once across managers and agents.
   */
  agents: Agent[];
  /**
   * Groups of agents a visitor can pick on the registration and offline forms. Without departments every chat goes to the pool of all agents.
   */
  departments: Department[];
  /**
   * Proactive messages the widget shows when a condition holds (Rocket.Chat Livechat triggers).
   */
  triggers: Trigger[];
  /**
   * Extra fields stored on the visitor or the room (Rocket.Chat livechatData); visible public visitor fields appear on the registration form.
   */
  customFields: CustomField[];
  appearance: Appearance;
  /**
   * Where chat events are POSTed (the Rocket.Chat "CRM integration"). Keep secretToken in the environment: ${LIVECHAT_WEBHOOK_SECRET}.
   */
  webhooks: Webhook[];
}
/**
 * How the daemon listens and stores data. Static: a change needs a restart (a reload refuses it and says so).
 */
export interface Server {
  /**
   * Address to listen on: host:port, [ipv6]:port, or :port for every interface. Port 0 picks a free port.
   */
  listen: string;
  /**
   * The http(s) URL browsers use to reach this server, when it differs from the listen address (e.g. behind a reverse proxy). Used in the embed snippet and in absolute links.
   */
  publicUrl?: string;
  /**
   * Directory of the LevelDB store; a relative path is resolved against the working directory. One daemon per directory.
   */
  dataDir: string;
  /**
   * Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy in front of livechatd: the client is the last X-Forwarded-For entry, the one the proxy appended. Leave off when clients connect directly.
   */
  trustProxy: boolean;
  /**
   * Origins (scheme://host[:port]) of the sites allowed to embed the widget: CSP frame-ancestors, CORS and the WebSocket Origin check. Empty: any site may embed it.
   */
  allowedOrigins: string[];
  limits: ServerLimits;
}
/**
 * Protocol limits that protect the process; static like the rest of server. Rate limits that may change on reload are in livechat.limits.
 */
export interface ServerLimits {
  /**
   * Largest request head (request line and headers) accepted; a larger one is answered 431.
   */
  headerBytes: number;
  /**
   * Time a client has to send a whole request (head and body); slower ones are answered 408 and disconnected.
   */
  requestTimeoutSeconds: number;
  /**
   * Open WebSocket connections (all channels) one client IP may hold at once; more are refused with 429 before the handshake. 0: no limit.
   */
  wsConnectionsPerIp: number;
}
/**
 * Chat behaviour: on/off, routing, capacity and business hours.
 */
export interface Livechat {
  /**
   * Serve the widget and accept chats (Livechat_enabled).
   */
  enabled: boolean;
  /**
   * round-robin: a new chat goes to the next eligible agent of its department in turn, skipping agents who are away or at capacity (Auto_Selection). manual: chats wait in the queue until an agent takes one (Manual_Selection).
   */
  routing: 'round-robin' | 'manual';
  /**
   * Accept chats while no agent is online; they wait in the queue instead of the widget showing the offline form (Livechat_accept_chats_with_no_agents).
   */
  acceptWithoutAgents: boolean;
  /**
   * How many open chats an agent serves at once unless the agent sets maxChats; 0 means no limit (Livechat_maximum_chats_per_agent).
   */
  maxChatsPerAgent: number;
  /**
   * How long a disconnected agent keeps their chats before they go back to the queue.
   */
  agentGraceSeconds: number;
  /**
   * Longest a chat may wait in the queue for an agent; after that the system closes it, tells the visitor and sends LivechatSession (Rocket.Chat's max queue wait time). 0 means no limit.
   */
  queueTimeoutSeconds: number;
  /**
   * Longest message, in characters, a visitor or agent may send (the widget's limitTextLength).
   */
  messageMaxLength: number;
  businessHours: BusinessHours;
  limits: RateLimits;
}
/**
 * Opening hours. Outside them the widget shows the offline form.
 */
export interface BusinessHours {
  /**
   * Apply the opening hours. When off, livechat is open around the clock (Livechat_enable_business_hours).
   */
  enabled: boolean;
  /**
   * IANA time zone the hours are in, e.g. Europe/Berlin.
   */
  timezone: string;
  week: Week;
}
/**
 * Open intervals per day as "HH:MM-HH:MM" (end may be 24:00); a day that is left out is closed. Default: Monday to Friday 09:00-17:00.
 */
export interface Week {
  monday?: DayHours;
  tuesday?: DayHours;
  wednesday?: DayHours;
  thursday?: DayHours;
  friday?: DayHours;
  saturday?: DayHours;
  sunday?: DayHours;
}
/**
 * Rate limits against abuse. Over a limit, HTTP answers 429 with Retry-After and WebSockets close with 1008. Applied on reload.
 */
export interface RateLimits {
  registrationsPerIp: Rate;
  roomsPerIp: Rate1;
  messagesPerVisitor: Rate2;
  pageVisitsPerIp: Rate3;
  offlineMessagesPerIp: Rate4;
  loginFailuresPerUsername: Rate5;
  loginFailuresPerIp: Rate6;
  framesPerConnection: Rate7;
}
/**
 * Visitor registrations (POST /api/v1/livechat/visitor) from one client IP.
 */
export interface Rate {
  /**
   * Events allowed in the window; 0 switches the limit off.
   */
  max: number;
  /**
   * Length of the window, in seconds.
   */
  perSeconds: number;
}
/**
 * New chats opened from one client IP.
 */
export interface Rate1 {
  /**
   * Events allowed in the window; 0 switches the limit off.
   */
  max: number;
  /**
   * Length of the window, in seconds.
   */
  perSeconds: number;
}
/**
 * Messages one visitor sends, whatever the client.
 */
export interface Rate2 {
  /**
   * Events allowed in the window; 0 switches the limit off.
   */
  max: number;
  /**
   * Length of the window, in seconds.
   */
  perSeconds: number;
}
/**
 * Page visits recorded (POST /api/v1/livechat/page.visited) from one client IP; they are kept before a visitor registers, so the token cannot be the key.
 */
export interface Rate3 {
  /**
   * Events allowed in the window; 0 switches the limit off.
   */
  max: number;
  /**
   * Length of the window, in seconds.
   */
  perSeconds: number;
}
/**
 * Offline-form messages from one client IP.
 */
export interface Rate4 {
  /**
   * Events allowed in the window; 0 switches the limit off.
   */
  max: number;
  /**
   * Length of the window, in seconds.
   */
  perSeconds: number;
}
/**
 * Failed agent logins for one username; successful logins do not count.
 */
export interface Rate5 {
  /**
   * Events allowed in the window; 0 switches the limit off.
   */
  max: number;
  /**
   * Length of the window, in seconds.
   */
  perSeconds: number;
}
/**
 * Failed agent logins from one client IP; successful logins do not count.
 */
export interface Rate6 {
  /**
   * Events allowed in the window; 0 switches the limit off.
   */
  max: number;
  /**
   * Length of the window, in seconds.
   */
  perSeconds: number;
}
/**
 * Frames one WebSocket connection sends (any channel); over it the connection is closed with 1008.
 */
export interface Rate7 {
  /**
   * Events allowed in the window; 0 switches the limit off.
   */
  max: number;
  /**
   * Length of the window, in seconds.
   */
  perSeconds: number;
}
/**
 * A person who sees every chat and the whole queue.
 */
export interface Manager {
  /**
   * Login name, unique across managers and agents.
   */
  username: string;
  /**
   * Name shown to agents.
   */
  name: string;
  /**
   * E-mail address.
   */
  email?: string;
  /**
   * scrypt hash printed by `livechatd hash-password` (never a plain password).
   */
  passwordHash: string;
}
/**
 * A person who answers chats.
 */
export interface Agent {
  /**
   * Login name, unique across managers and agents.
   */
  username: string;
  /**
   * Name shown to visitors when agent info is shown.
   */
  name: string;
  /**
   * E-mail address, shown to visitors when appearance.showAgentEmail is on.
   */
  email?: string;
  /**
   * scrypt hash printed by `livechatd hash-password` (never a plain password).
   */
  passwordHash: string;
  /**
   * How many open chats this agent serves at once; 0 means no limit. Default: livechat.maxChatsPerAgent.
   */
  maxChats?: number;
}
/**
 * A group of agents (Rocket.Chat ILivechatDepartment).
 */
export interface Department {
  /**
   * Stable identifier, used as the department _id on the wire and in embed snippets.
   */
  id: string;
  /**
   * Name shown to visitors.
   */
  name: string;
  /**
   * Offer the department and route chats to it.
   */
  enabled: boolean;
  /**
   * List it on the widget's registration form.
   */
  showOnRegistration: boolean;
  /**
   * List it on the widget's offline form.
   */
  showOnOfflineForm: boolean;
  /**
   * Where offline messages for this department are addressed.
   */
  email?: string;
  /**
   * Usernames of the agents who serve this department.
   */
  agents: Username[];
}
/**
 * A proactive message: when every condition holds, the widget runs the actions.
 */
export interface Trigger {
  /**
   * Stable identifier (the trigger _id; runOnce remembers fired ids in the visitor's browser).
   */
  id: string;
  /**
   * Name for people reading the configuration.
   */
  name: string;
  /**
   * Send the trigger to widgets.
   */
  enabled: boolean;
  /**
   * Fire at most once per visitor browser.
   */
  runOnce: boolean;
  /**
   * When the trigger fires; each kind of condition at most once.
   *
   * @minItems 1
   */
  conditions: [TriggerCondition, ...TriggerCondition[]];
  /**
   * What happens when the trigger fires.
   *
   * @minItems 1
   */
  actions: [TriggerAction, ...TriggerAction[]];
}
export interface PageUrlCondition {
  /**
   * Fires when the page URL matches value.
   */
  name: 'page-url';
  /**
   * JavaScript regular expression tested against the page URL.
   */
  value: string;
}
export interface TimeOnSiteCondition {
  /**
   * Fires after the visitor has been on the site for value seconds.
   */
  name: 'time-on-site';
  /**
   * Seconds on the site.
   */
  value: number;
}
export interface ChatOpenedByVisitorCondition {
  /**
   * Fires when the visitor opens the chat window.
   */
  name: 'chat-opened-by-visitor';
}
export interface AfterGuestRegistrationCondition {
  /**
   * Fires after the visitor registers (ignored by the 1.13.3 widget).
   */
  name: 'after-guest-registration';
}
/**
 * What a trigger does.
 */
export interface TriggerAction {
  /**
   * send-message: show a message in the widget and open it.
   */
  name: 'send-message';
  params: SendMessageParams;
}
export interface QueueSenderParams {
  /**
   * queue: from the agent who would get the chat next; that agent then gets the chat.
   */
  sender: 'queue';
  msg: TriggerMessage;
  delaySeconds?: DelaySeconds;
}
export interface CustomSenderParams {
  /**
   * custom: from the name given in name.
   */
  sender: 'custom';
  /**
   * Sender name shown above the message.
   */
  name: string;
  msg: TriggerMessage;
  delaySeconds?: DelaySeconds;
}
/**
 * An extra field (Rocket.Chat ILivechatCustomField); values live in livechatData of the visitor or room.
 */
export interface CustomField {
  /**
   * Field key: the _id, and the key in livechatData and in setCustomField() calls.
   */
  id: string;
  /**
   * Label shown on the form.
   */
  label: string;
  /**
   * Stored on the visitor or on the room.
   */
  scope: 'visitor' | 'room';
  /**
   * hidden fields are kept for integrations and never shown.
   */
  visibility: 'visible' | 'hidden';
  /**
   * Show a visible visitor field on the widget's registration form.
   */
  public: boolean;
  /**
   * input: free text; select: one of options.
   */
  type: 'input' | 'select';
  /**
   * Choices of a select field.
   *
   * @minItems 1
   */
  options?: [string, ...string[]];
  /**
   * JavaScript regular expression a non-empty value must match.
   */
  regexp?: string;
  /**
   * The visitor must fill it in.
   */
  required: boolean;
  /**
   * Value the form starts with; must satisfy regexp or be one of options.
   */
  defaultValue?: string;
}
/**
 * What the widget looks like and says (the Rocket.Chat Livechat appearance settings).
 */
export interface Appearance {
  /**
   * Which widget app /livechat serves: "livechatd" (ours), "rocketchat" (the official Rocket.Chat Livechat build from the installed npm package @rocket.chat/livechat, unmodified), or the absolute path of an unpacked @rocket.chat/livechat build (its build/ folder, or the package folder holding it). Either Rocket.Chat build gets SERVER_URL injected into its index.html and speaks DDP on /websocket.
   */
  widget: string;
  /**
   * Widget title while agents are online (Livechat_title).
   */
  title: string;
  /**
   * Title bar colour while agents are online (Livechat_title_color).
   */
  color: string;
  /**
   * Widget title while nobody is online (Livechat_offline_title).
   */
  offlineTitle: string;
  /**
   * Title bar colour while nobody is online (Livechat_offline_title_color).
   */
  offlineColor: string;
  /**
   * Corner of the page the widget sits in.
   */
  position: 'right' | 'left';
  /**
   * Widget language, a BCP 47 tag such as en or pt-BR (Language).
   */
  language: string;
  /**
   * Show the serving agent's name and avatar (Livechat_show_agent_info).
   */
  showAgentInfo: boolean;
  /**
   * Include the agent's e-mail in the agent info (Livechat_show_agent_email).
   */
  showAgentEmail: boolean;
  /**
   * Let visitors switch department during a chat (Livechat_allow_switching_departments).
   */
  allowSwitchingDepartments: boolean;
  /**
   * Let visitors upload files (Livechat_fileupload_enabled).
   */
  fileUpload: boolean;
  /**
   * Forget the visitor in their browser when a chat ends (Livechat_clear_local_storage_when_chat_ended).
   */
  clearLocalStorageWhenChatEnded: boolean;
  registrationForm: RegistrationForm;
  offlineForm: OfflineForm;
  conversationFinished: ConversationFinished;
  transcript: Transcript;
  dataProcessingConsent: DataProcessingConsent;
}
/**
 * The form visitors fill in before chatting.
 */
export interface RegistrationForm {
  /**
   * Show the form (Livechat_registration_form).
   */
  enabled: boolean;
  /**
   * Ask for the visitor's name (Livechat_name_field_registration_form).
   */
  nameField: boolean;
  /**
   * Ask for the visitor's e-mail (Livechat_email_field_registration_form).
   */
  emailField: boolean;
  /**
   * Text above the form (Livechat_registration_form_message).
   */
  message: string;
}
/**
 * The form visitors fill in while nobody is online.
 */
export interface OfflineForm {
  /**
   * Show the form; when off the widget shows unavailableMessage (Livechat_display_offline_form).
   */
  enabled: boolean;
  /**
   * Text above the form (Livechat_offline_message).
   */
  message: string;
  /**
   * Text after the form is sent (Livechat_offline_success_message).
   */
  successMessage: string;
  /**
   * Text shown instead of the form when it is off (Livechat_offline_form_unavailable).
   */
  unavailableMessage: string;
}
/**
 * What the visitor sees when a chat has ended.
 */
export interface ConversationFinished {
  /**
   * Title of the chat-finished screen (Livechat_conversation_finished_message).
   */
  message: string;
  /**
   * Body of the chat-finished screen (Livechat_conversation_finished_text).
   */
  text: string;
}
/**
 * Offer the visitor a transcript of the chat by e-mail.
 */
export interface Transcript {
  /**
   * Offer transcripts (Livechat_enable_transcript).
   */
  enabled: boolean;
  /**
   * Question asking whether the visitor wants one (Livechat_transcript_message).
   */
  message: string;
}
/**
 * Ask visitors to consent to data processing before chatting.
 */
export interface DataProcessingConsent {
  /**
   * Visitors must accept before chatting; also lets them ask to remove their data (Livechat_force_accept_data_processing_consent).
   */
  required: boolean;
  /**
   * The consent text (Livechat_data_processing_consent_text).
   */
  text: string;
}
/**
 * An endpoint that receives chat events as JSON POSTs, Rocket.Chat payloads, with retries.
 */
export interface Webhook {
  /**
   * Stable identifier, used for the delivery queue and dead letters.
   */
  id: string;
  /**
   * http(s) URL the events are POSTed to.
   */
  url: string;
  /**
   * Sent as X-RocketChat-Livechat-Token and used for the webhook-signature HMAC; empty sends no token. Read it from the environment: ${LIVECHAT_WEBHOOK_SECRET}.
   */
  secretToken?: string;
  /**
   * Which events are sent.
   *
   * @minItems 1
   */
  events: [WebhookEvent, ...WebhookEvent[]];
  retry: WebhookRetry;
  /**
   * Time limit of each delivery attempt.
   */
  timeoutSeconds: number;
}
/**
 * How often a failed delivery is retried before it becomes a dead letter.
 */
export interface WebhookRetry {
  /**
   * Attempts in total, the first included.
   */
  attempts: number;
  /**
   * Pause between attempts; may be fractional.
   */
  intervalSeconds: number;
}
