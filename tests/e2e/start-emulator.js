// Starts the telegram-test-api Bot API emulator on 127.0.0.1:PORT for Netra's end-to-end tests.
//
// The emulator targets older Bot API clients; several of its answers break python-telegram-bot v22,
// so they are patched here before the server is built:
//   * getMe lacks `is_bot`                 -> full bot user
//   * bot message dates are milliseconds   -> seconds; objects sent form-encoded are echoed
//     back as JSON strings (link_preview_options, reply_parameters) -> parsed
//   * callback queries lack `chat_instance` -> added
//   * edits / answerCallbackQuery return null instead of true -> true
//   * sendChatAction, sendDocument, getFile and file downloads are unsupported (HTTP 500) -> stubs
//   * setWebhook returns null and webhook deliveries lack the secret-token header -> fixed
// Test-side extras: POST /setFile {file_id, content_base64} registers a file the bot can download;
// a user message with `edit_of: <message_id>` arrives as an edit of that message; /sendMessage and
// /sendCommand answer with the message id the user's message was given (`result.message_id`),
// at once, before the webhook delivery, so a client can match the bot's replies to it.
//
// Usage: node start-emulator.js PORT   (prints "READY PORT" once listening; stops on SIGTERM)
'use strict';

const TelegramServer = require('telegram-test-api');
const { routes } = require('telegram-test-api/lib/routes/index');
const { handle } = require('telegram-test-api/lib/routes/bot/utils');
const axios = require('axios');

const port = Number(process.argv[2] || 9000);
const BOT = {
  id: 666, is_bot: true, first_name: 'Netra Test', username: 'TestNameBot',
  can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
};
const files = new Map();

function rawBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

function formField(body, name) {
  const match = body.match(new RegExp(`name="${name}"\\r\\n(?:[^\\r\\n]*\\r\\n)*?\\r\\n([^\\r]*)`));
  return match ? match[1] : undefined;
}

function patchedRoutes(app, server) {
  handle(app, '/bot:token/getMe', (_req, res) => res.sendResult({ ok: true, result: BOT }));
  handle(app, '/bot:token/answerCallbackQuery', (_req, res) => res.sendResult({ ok: true, result: true }));
  handle(app, '/bot:token/sendChatAction', (_req, res) => res.sendResult({ ok: true, result: true }));
  handle(app, '/bot:token/editMessageText', (req, res) => {
    server.editMessageText(req.body);
    res.sendResult({ ok: true, result: true });
  });
  handle(app, '/bot:token/editMessageReplyMarkup', (req, res) => {
    server.editMessageReplyMarkup(req.body);
    res.sendResult({ ok: true, result: true });
  });
  handle(app, '/bot:token/sendDocument', async (req, res) => {
    const body = await rawBody(req);
    const chatId = formField(body, 'chat_id') || (req.body && req.body.chat_id);
    const fileName = (body.match(/filename="([^"]*)"/) || [])[1] || 'document';
    const message = server.addBotMessage(
      { chat_id: chatId, text: `[document] ${fileName}`, document_size: body.length }, req.params.token,
    );
    message.document = { file_id: `doc${message.message_id}`, file_unique_id: `doc${message.message_id}`, file_name: fileName };
    res.sendResult({ ok: true, result: message });
  });
  handle(app, '/bot:token/setWebhook', (req, res) => {
    const hook = req.body && req.body.url ? req.body : req.query;
    if (!hook.url) { res.status(400).json({ ok: false, error_code: 400, description: 'Bad Request: url is empty' }); return; }
    server.setWebhook({ url: hook.url, secret_token: hook.secret_token }, req.params.token);
    res.sendResult({ ok: true, result: true });
  });
  handle(app, '/bot:token/getFile', (req, res) => {
    const fileId = (req.body && req.body.file_id) || req.query.file_id;
    const content = files.get(String(fileId));
    if (content === undefined) {
      res.status(400).json({ ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
      return;
    }
    res.sendResult({
      ok: true,
      result: { file_id: fileId, file_unique_id: fileId, file_size: content.length, file_path: `documents/${fileId}` },
    });
  });
  app.get('/file/bot:token/documents/:fileId', (req, res) => {
    const content = files.get(req.params.fileId);
    if (content === undefined) { res.status(404).end(); return; }
    res.type('application/octet-stream').send(content);
  });
  app.post('/sendMessage', (req, res) => {
    res.sendResult({ ok: true, result: { message_id: addUser(server, 'message', req.body) } });
  });
  app.post('/sendCommand', (req, res) => {
    res.sendResult({ ok: true, result: { message_id: addUser(server, 'command', req.body) } });
  });
  app.get('/deliveryStats', (_req, res) => res.json({ ok: true, result: deliveryStats }));
  app.post('/setFile', (req, res) => {
    files.set(String(req.body.file_id), Buffer.from(String(req.body.content_base64), 'base64'));
    res.json({ ok: true, result: true });
  });
}

// Our routes go first so they win over the emulator's own (and over its unknownMethod).
routes.unshift(patchedRoutes);

const addBotMessage = TelegramServer.prototype.addBotMessage;
TelegramServer.prototype.addBotMessage = function patchedAddBotMessage(...args) {
  const message = addBotMessage.apply(this, args);
  message.date = Math.floor(message.date / 1000);
  // Form-encoded requests carry objects as JSON strings; the emulator echoes them unparsed.
  for (const [key, value] of Object.entries(message)) {
    if (key !== 'text' && key !== 'caption' && typeof value === 'string' && /^[[{]/.test(value)) {
      try { message[key] = JSON.parse(value); } catch (_error) { /* keep the string */ }
    }
  }
  message.from = BOT;
  return message;
};

// Every user message gets its own id at once: the emulator's /sendMessage does not wait for the
// delivery, and it bumped the id only after it, so messages sent back to back shared one id.
// The id is returned synchronously (the delivery goes on in the background).
function addUser(server, kind, message) {
  const common = server.getCommonFields(message.botToken);
  server.messageId++;
  const update = kind === 'message' ? { ...common, message } : { ...common, message, entities: message.entities };
  server.addUserUpdate(update).then(() => server.emit(kind === 'message' ? 'AddedUserMessage' : 'AddedUserCommand'));
  return common.messageId;
}
TelegramServer.prototype.addUserMessage = async function patchedAddUserMessage(message) {
  addUser(this, 'message', message);
};
TelegramServer.prototype.addUserCommand = async function patchedAddUserCommand(message) {
  addUser(this, 'command', message);
};

// Webhook deliveries go one at a time, in order (as Telegram does with max_connections=1), and
// carry the secret token header, as Telegram sends it. A delivery that fails (no connection, or
// an HTTP error) is tried again, as Telegram does, and never stops the deliveries after it;
// GET /deliveryStats counts the deliveries, the failed attempts and the updates given up on.
const DELIVERY_ATTEMPTS = 8;
const DELIVERY_RETRY_MS = 100; // doubled after every failed attempt
const deliveryStats = { delivered: 0, failedAttempts: 0, givenUp: 0 };

async function postUpdate(webhook, update) {
  const headers = webhook.secret_token ? { 'X-Telegram-Bot-Api-Secret-Token': webhook.secret_token } : {};
  for (let attempt = 1; ; attempt++) {
    let failure;
    try {
      const response = await axios({ url: webhook.url, method: 'POST', data: TelegramServer.formatUpdate(update), headers, validateStatus: () => true });
      if (response.status <= 204) return true;
      failure = `HTTP ${response.status}`;
    } catch (error) {
      failure = error.code || String(error);
    }
    deliveryStats.failedAttempts++;
    console.error(`webhook delivery of update ${update.updateId} failed (${failure}), attempt ${attempt}`);
    if (attempt >= DELIVERY_ATTEMPTS) return false;
    await new Promise((resolve) => { setTimeout(resolve, DELIVERY_RETRY_MS * 2 ** (attempt - 1)); });
  }
}

const deliverUpdate = async function deliverUpdate(update) {
  const webhook = this.webhooks[update.botToken];
  if (!webhook) {
    this.storage.userMessages.push(update);
    return;
  }
  if (await postUpdate(webhook, update)) deliveryStats.delivered++;
  else deliveryStats.givenUp++;
  // kept (already read) so that /getUpdatesHistory shows webhook deliveries too, with the time
  // the bot acknowledged them (`deliveredAt`, ms, the same clock as `time`)
  this.storage.userMessages.push({ ...update, isRead: true, deliveredAt: Date.now() });
};
TelegramServer.prototype.addUserUpdate = function patchedAddUserUpdate(update) {
  this.updateId++;
  this.deliveries = (this.deliveries || Promise.resolve()).then(() => deliverUpdate.call(this, update));
  return this.deliveries;
};

const formatUpdate = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = function patchedFormatUpdate(update) {
  const formatted = formatUpdate(update);
  if (formatted.callback_query) {
    formatted.callback_query.chat_instance = formatted.callback_query.chat_instance || 'e2e';
    const message = formatted.callback_query.message;
    if (message) {
      message.message_id = message.message_id || update.messageId;
      message.date = message.date > 1e11 ? Math.floor(message.date / 1000) : message.date;
    }
  }
  if (formatted.message && formatted.message.date > 1e11) {
    formatted.message.date = Math.floor(formatted.message.date / 1000);
  }
  // Test-side extra: a user message carrying `edit_of: <message_id>` is delivered as the edit
  // of that earlier message (Telegram's `edited_message` update).
  if (formatted.message && formatted.message.edit_of) {
    const edited = { ...formatted.message, message_id: formatted.message.edit_of };
    edited.edit_date = Math.floor(Date.now() / 1000);
    delete edited.edit_of;
    delete formatted.message;
    formatted.edited_message = edited;
  }
  return formatted;
};

const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });
server.start().then(() => {
  process.stdout.write(`READY ${port}\n`);
});

function stop() {
  server.stop().finally(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
