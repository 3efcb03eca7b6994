// How a webhook reads to people: whether it is on (or why not), and whose events' facts it receives.
import type { components } from "../api/notification_service";
import { events } from "../client";
import { currentUser } from "../session";

type Webhook = components["schemas"]["WebhookPublic"];

/** "Enabled", or why it is not. */
export function stateOf(webhook: Webhook): string {
  if (webhook.enabled) return "Enabled";
  const why = { by_owner: "turned off", gone: "the endpoint answered 410 Gone", failing: "every delivery failed for 3 days" };
  return `Disabled: ${webhook.disabled_reason ? why[webhook.disabled_reason] : "turned off"}`;
}

/** Which events' facts it receives, with event titles where known. */
export function scopeOf(webhook: Webhook, titles: Map<string, string>): string {
  if (webhook.event_id) return `Event: ${titles.get(webhook.event_id) ?? webhook.event_id}`;
  return webhook.all_owners ? "Every organizer's events" : "All my events";
}

/** The caller's events, by id, for naming a webhook's event and choosing one. */
export async function myEventTitles(): Promise<Map<string, string>> {
  const { data } = await events.GET("/events", { params: { query: { owner_id: currentUser()?.id, limit: 100 } } });
  return new Map((data?.items ?? []).map((event) => [event.id, event.title]));
}
