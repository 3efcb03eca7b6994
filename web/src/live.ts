// The live feed: one WebSocket per signed-in tab. It resumes with `since` (the last id it saw) after
// any drop, backing off between attempts, and hands on each notification once.
import type { components } from "./api/notification_service";
import { notifications, SESSION_EXPIRED } from "./client";
import { toast } from "./toasts";
import { currentToken } from "./session";

export type Notification = components["schemas"]["NotificationPublic"];

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15_000;
const TOKEN_EXPIRED = 4401;
const TOO_MANY_SOCKETS = 4429;
const CATCH_UP_LIMIT = 100;

type Listener = (notification: Notification) => void;
const listeners = new Set<Listener>();
const unreadListeners = new Set<(count: number) => void>();

let socket: WebSocket | null = null;
let lastId: string | null = null;
let seen = new Set<string>();
let attempts = 0;
let retry: number | undefined;
let running = false;
let unread = 0;
let baseline = false; // whether lastId is where the history stood when the feed started

/** Calls `listener` with each new notification; returns the way to stop. */
export function onNotification(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Calls `listener` with the unread count now and whenever it changes. */
export function onUnread(listener: (count: number) => void): () => void {
  unreadListeners.add(listener);
  listener(unread);
  return () => unreadListeners.delete(listener);
}

/** Sets the unread count (as the inbox read it, or after marking some read). */
export function setUnread(count: number): void {
  unread = Math.max(0, count);
  for (const listener of unreadListeners) listener(unread);
}

export function unreadCount(): number {
  return unread;
}

function url(token: string): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const since = lastId === null ? "" : `&since=${encodeURIComponent(lastId)}`;
  return `${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}${since}`;
}

// Whether the feed is connected, as `<html data-live="open|closed">` (the tests wait on it).
function setState(state: "open" | "closed"): void {
  document.documentElement.dataset.live = state;
}

function deliver(notification: Notification): void {
  if (seen.has(notification.id)) return;
  seen.add(notification.id);
  lastId = notification.id;
  if (!notification.read) setUnread(unread + 1);
  for (const listener of listeners) listener(notification);
}

function scheduleReconnect(): void {
  if (!running) return;
  // Exponential, with jitter so that many tabs cut off at once do not come back all at once.
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempts);
  attempts += 1;
  retry = window.setTimeout(() => void reconnect(), ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Learns where to resume from; false while the history cannot be read. */
async function prepare(): Promise<boolean> {
  try {
    if (!baseline) {
      await resync();
      return baseline;
    }
    if (lastId !== null) return true;
    // No id to resume from (there was no notification when the feed started): whatever the history
    // holds now came while the socket was down. Hand it on first, then resume after it.
    const { data } = await notifications.GET("/notifications", { params: { query: { limit: CATCH_UP_LIMIT } } });
    if (data === undefined) return false;
    for (const notification of [...data.items].reverse()) deliver(notification);
    return true;
  } catch {
    return false; // fetch rejects while the network is down
  }
}

let connecting = false; // one attempt at a time: coming back online may meet a retry under way

async function reconnect(): Promise<void> {
  if (connecting) return;
  connecting = true;
  try {
    if (await prepare()) connect();
    else scheduleReconnect();
  } finally {
    connecting = false;
  }
}

function connect(): void {
  const token = currentToken();
  if (!running || token === null) return;
  const opened = new WebSocket(url(token));
  socket = opened;
  opened.onopen = () => {
    attempts = 0;
    setState("open");
  };
  opened.onmessage = (message) => {
    const frame = JSON.parse(String(message.data));
    if (frame.type === "replay_truncated") {
      // More was missed than the server replays: the history is the truth, read it afresh.
      toast("Many alerts came while you were away", "The inbox has them all.");
      void resync().catch(() => undefined);
      return;
    }
    deliver(frame as Notification);
  };
  opened.onclose = (event) => {
    if (socket !== opened) return;
    socket = null;
    setState("closed");
    if (event.code === TOKEN_EXPIRED && currentToken() === null) {
      // The token ran out while the socket was open: signing in again restarts the feed.
      window.dispatchEvent(new Event(SESSION_EXPIRED));
      return;
    }
    if (event.code === TOO_MANY_SOCKETS) attempts = Math.max(attempts, 4);
    scheduleReconnect();
  };
}

/** Drops the socket at once when the browser knows it is offline: an open socket would otherwise look
 * alive until TCP gives up, minutes later. Back online, it resumes with `since` without waiting. */
function goneOffline(): void {
  const dropped = socket;
  if (dropped === null) return;
  socket = null;
  dropped.onmessage = null; // what arrives from here on is read again with `since`
  dropped.onclose = null;
  dropped.close();
  setState("closed");
  scheduleReconnect();
}

function backOnline(): void {
  if (!running || socket !== null) return;
  window.clearTimeout(retry);
  attempts = 0;
  void reconnect();
}

window.addEventListener("offline", goneOffline);
window.addEventListener("online", backOnline);

/** Reads the recent history and the unread count, so that the socket resumes from its newest. The
 * server replays a few seconds before `since` too (one stored late by another replica may have an older
 * id): the recent ones read here are known, and not handed on again. */
async function resync(): Promise<void> {
  const { data } = await notifications.GET("/notifications", { params: { query: { limit: CATCH_UP_LIMIT } } });
  if (data === undefined) return;
  baseline = true;
  setUnread(data.unread);
  for (const known of data.items) seen.add(known.id);
  const newest = data.items[0];
  if (newest !== undefined) lastId = newest.id;
}

/** Starts the feed for the signed-in user: nothing after this moment is missed. */
export async function startLive(): Promise<void> {
  stopLive();
  running = true;
  await reconnect();
}

/** Closes the feed (signed out). */
export function stopLive(): void {
  running = false;
  window.clearTimeout(retry);
  const open = socket;
  socket = null;
  open?.close(1000, "Signed out");
  setState("closed");
  lastId = null;
  baseline = false;
  seen = new Set();
  attempts = 0;
  setUnread(0);
}
