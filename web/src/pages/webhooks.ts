// An organizer's webhooks: each endpoint with what it receives and whether it is on, and a new one.
import type { components } from "../api/notification_service";
import { notifications } from "../client";
import { field, h, show } from "../dom";
import { problemOf, showProblem } from "../problems";
import type { PageContext } from "../router";
import { hasRole } from "../session";
import { webhookFields, webhookProblem, webhookValues } from "./webhook_fields";
import { myEventTitles, scopeOf, stateOf } from "./webhook_scope";
import { secretPanel } from "./webhook_secret";

type Webhook = components["schemas"]["WebhookPublic"];

function eventChoice(titles: Map<string, string>): HTMLElement {
  const select = h(
    "select",
    { name: "event_id" },
    // An admin's endpoint receives every organizer's facts unless it names one event.
    h("option", { value: "" }, hasRole("admin") ? "Every organizer's events" : "All my events"),
    [...titles].map(([id, title]) => h("option", { value: id }, title)),
  );
  return field("Only the facts of", select);
}

function webhookRow(webhook: Webhook, titles: Map<string, string>): HTMLElement {
  const page = `/organize/webhooks/${webhook.id}`;
  return h(
    "tr",
    { "data-webhook": webhook.id },
    h("th", { scope: "row" }, h("a", { href: page }, webhook.url), webhook.description ? h("p", { class: "muted" }, webhook.description) : null),
    h("td", {}, webhook.event_types.join(", ")),
    h("td", {}, scopeOf(webhook, titles)),
    h("td", { "data-state": webhook.enabled ? "enabled" : "disabled" }, stateOf(webhook)),
    h("td", {}, h("a", { href: `${page}/deliveries` }, h("span", { class: "visually-hidden" }, `${webhook.url}: `), "Deliveries")),
  );
}

export async function webhooksPage(context: PageContext, created?: string): Promise<void> {
  const { main } = context;
  const [list, titles] = await Promise.all([notifications.GET("/webhooks"), myEventTitles()]);
  if (list.data === undefined) {
    const message = problemOf(list.response.status, list.error).message;
    show(main, h("h1", {}, "Webhooks"), h("p", { class: "alert", role: "alert" }, message));
    return;
  }
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": "new-webhook-heading" },
    h("h2", { id: "new-webhook-heading" }, "Add an endpoint"),
    ...webhookFields(),
    eventChoice(titles),
    h("button", { type: "submit" }, "Add endpoint"),
  );
  form.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    const eventId = String(new FormData(form).get("event_id") ?? "");
    const { data, error, response } = await notifications.POST("/webhooks", {
      body: { ...webhookValues(form), event_id: eventId || null },
    });
    if (data === undefined) return showProblem(form, webhookProblem(response.status, error));
    await webhooksPage(context, data.secret);
  });
  const secret = created ? secretPanel(created, "The new endpoint's signing secret") : null;
  show(
    main,
    h("p", {}, h("a", { href: "/organize" }, "← My events")),
    h("h1", {}, "Webhooks"),
    h("p", {}, "Your own systems (a CRM, accounting, a chat) receive your events' facts as they happen: signed, retried for three days, in order per event."),
    secret,
    list.data.items.length === 0
      ? h("p", { class: "muted" }, "No endpoints yet.")
      : h(
          "table",
          { class: "list" },
          h("caption", {}, list.data.total === 1 ? "1 endpoint" : `${list.data.total} endpoints`),
          h("thead", {}, h("tr", {}, ["URL", "Facts", "Events", "State", "Log"].map((name) => h("th", { scope: "col" }, name)))),
          h("tbody", {}, list.data.items.map((webhook) => webhookRow(webhook, titles))),
        ),
    form,
  );
  secret?.focus();
}
