// One webhook's delivery log: a page at a time, by state, each attempt's time, answer and duration;
// a settled delivery can be sent again. While one is pending, the page follows it.
import type { components } from "../api/notification_service";
import { notifications } from "../client";
import { field, h, show } from "../dom";
import { when } from "../format";
import { alertOf, problemOf, showProblem } from "../problems";
import { navigate, type Cleanup, type PageContext } from "../router";

type Delivery = components["schemas"]["WebhookDeliveryPublic"];
type State = Delivery["state"];

const PAGE_SIZE = 20;
const FOLLOW_MS = 1500; // how often a page with a pending delivery asks again
const STATES: State[] = ["pending", "delivered", "failed"];

/** An attempt's time to the second: attempts a few seconds apart must not look alike. */
function attemptTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

function attemptsTable(delivery: Delivery): HTMLElement {
  if (delivery.attempts.length === 0) return h("p", { class: "muted" }, "Not tried yet.");
  return h(
    "table",
    { class: "attempts" },
    h("caption", { class: "visually-hidden" }, `Attempts of ${delivery.type}`),
    h("thead", {}, h("tr", {}, ["Time", "Status", "Duration", "Answer"].map((name) => h("th", { scope: "col" }, name)))),
    h(
      "tbody",
      {},
      delivery.attempts.map((attempt) =>
        h(
          "tr",
          { "data-status-code": attempt.status_code ?? "none" },
          h("td", {}, attemptTime(attempt.at)),
          h("td", {}, attempt.status_code === null ? "no answer" : String(attempt.status_code)),
          h("td", {}, `${attempt.duration_ms} ms`),
          h("td", {}, attempt.error ? h("p", { class: "field-error" }, attempt.error) : null, attempt.response ? h("pre", { class: "excerpt" }, attempt.response) : null),
        ),
      ),
    ),
  );
}

function deliveryItem(webhookId: string, delivery: Delivery, refresh: () => Promise<void>): HTMLElement {
  const item = h(
    "li",
    { class: "delivery", "data-delivery": delivery.id, "data-state": delivery.state },
    h(
      "p",
      {},
      h("strong", {}, delivery.type),
      " · ",
      h("span", { class: `state state-${delivery.state}` }, delivery.state),
      " · ",
      when(delivery.created_at),
      delivery.next_attempt_at ? ` · next try ${when(delivery.next_attempt_at)}` : "",
    ),
    h("p", { class: "muted" }, "webhook-id ", h("code", {}, delivery.message_id)),
    attemptsTable(delivery),
  );
  if (delivery.state !== "pending") {
    const resend = h("button", { type: "button", class: "secondary", "aria-label": `Resend ${delivery.type} of ${when(delivery.created_at)}` }, "Resend");
    resend.addEventListener("click", async () => {
      const { error, response } = await notifications.POST("/webhooks/{webhook_id}/deliveries/{delivery_id}/resend", {
        params: { path: { webhook_id: webhookId, delivery_id: delivery.id } },
      });
      if (!response.ok) return showProblem(item, problemOf(response.status, error));
      await refresh();
    });
    alertOf(item);
    item.append(h("p", {}, resend));
  }
  return item;
}

function filterForm(webhookId: string, status: string): HTMLFormElement {
  const select = h(
    "select",
    { name: "status" },
    h("option", { value: "" }, "Any"),
    STATES.map((state) => h("option", { value: state, selected: state === status }, state)),
  );
  const form = h("form", { class: "inline", "aria-label": "Filter deliveries" }, field("State", select), h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    const chosen = select.value;
    navigate(`/organize/webhooks/${webhookId}/deliveries${chosen ? `?status=${chosen}` : ""}`);
  });
  return form;
}

export async function deliveriesPage({ main, params, query }: PageContext): Promise<Cleanup> {
  const webhookId = params.id;
  const status = STATES.find((state) => state === query.get("status"));
  const offset = Math.max(0, Number(query.get("offset") ?? 0) || 0);
  const log = h("section", { "aria-labelledby": "log-heading" });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let left = false;

  async function refresh(): Promise<void> {
    clearTimeout(timer);
    const { data, error, response } = await notifications.GET("/webhooks/{webhook_id}/deliveries", {
      params: { path: { webhook_id: webhookId }, query: { status, limit: PAGE_SIZE, offset } },
    });
    if (left) return;
    if (data === undefined) {
      log.replaceChildren(h("p", { class: "alert", role: "alert" }, problemOf(response.status, error).message));
      return;
    }
    // Drawn anew while it follows a pending delivery: a focus inside goes to the heading, not the body.
    const hadFocus = log.contains(document.activeElement);
    const base = `/organize/webhooks/${webhookId}/deliveries?${status ? `status=${status}&` : ""}offset=`;
    log.replaceChildren(
      h("h2", { id: "log-heading", tabindex: "-1" }, data.total === 1 ? "1 delivery" : `${data.total} deliveries`),
      data.items.length === 0
        ? h("p", { class: "muted" }, "None in the last 30 days.")
        : h("ol", { class: "plain deliveries" }, data.items.map((delivery) => deliveryItem(webhookId, delivery, refresh))),
      h(
        "nav",
        { class: "pager", "aria-label": "Pages" },
        offset > 0 ? h("a", { href: `${base}${Math.max(0, offset - PAGE_SIZE)}`, class: "button" }, "Previous page") : null,
        offset + PAGE_SIZE < data.total ? h("a", { href: `${base}${offset + PAGE_SIZE}`, class: "button" }, "Next page") : null,
      ),
    );
    if (hadFocus) log.querySelector<HTMLElement>("#log-heading")?.focus();
    if (data.items.some((delivery) => delivery.state === "pending")) timer = setTimeout(() => void refresh(), FOLLOW_MS);
  }

  show(
    main,
    h("p", {}, h("a", { href: `/organize/webhooks/${webhookId}` }, "← The webhook")),
    h("h1", {}, "Deliveries"),
    filterForm(webhookId, status ?? ""),
    log,
  );
  await refresh();
  return () => {
    left = true;
    clearTimeout(timer);
  };
}
