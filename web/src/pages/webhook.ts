// One webhook: what it receives, its changes, on and off, a test, a new secret, and deleting it.
import type { components } from "../api/notification_service";
import { notifications } from "../client";
import { h, show } from "../dom";
import { when } from "../format";
import { alertOf, problemOf, showProblem } from "../problems";
import { navigate, type PageContext } from "../router";
import { webhookFields, webhookProblem, webhookValues } from "./webhook_fields";
import { myEventTitles, scopeOf, stateOf } from "./webhook_scope";
import { secretPanel } from "./webhook_secret";

type Webhook = components["schemas"]["WebhookPublic"];

/** The buttons acting on the endpoint; their outcome (or error) shows in `said`. */
function actions(webhook: Webhook, reload: (secret?: string) => Promise<void>): HTMLElement {
  const path = { params: { path: { webhook_id: webhook.id } } };
  const box = h("div", { class: "actions" });
  const said = h("p", { role: "status" });
  const fail = (status: number, error: unknown) => {
    showProblem(box, problemOf(status, error));
  };

  const test = h("button", { type: "button", disabled: !webhook.enabled }, "Send a test");
  test.addEventListener("click", async () => {
    const { error, response } = await notifications.POST("/webhooks/{webhook_id}/test", path);
    if (!response.ok) return fail(response.status, error);
    showProblem(box, null);
    said.replaceChildren("Test queued: ", h("a", { href: `/organize/webhooks/${webhook.id}/deliveries` }, "follow it in the deliveries"), ".");
  });

  const toggle = h("button", { type: "button", class: "secondary" }, webhook.enabled ? "Disable" : "Enable");
  toggle.addEventListener("click", async () => {
    const { error, response } = await notifications.PATCH("/webhooks/{webhook_id}", { ...path, body: { enabled: !webhook.enabled } });
    if (!response.ok) return fail(response.status, error);
    await reload();
  });

  const rotate = h("button", { type: "button", class: "secondary" }, "Rotate secret");
  rotate.addEventListener("click", async () => {
    const { data, error, response } = await notifications.POST("/webhooks/{webhook_id}/rotate-secret", path);
    if (data === undefined) return fail(response.status, error);
    await reload(data.secret);
  });

  // Deleting asks once more, in place: the endpoint and its delivery log go for good.
  const remove = h("button", { type: "button", class: "danger" }, "Delete");
  const confirm = h(
    "div",
    { class: "confirm", role: "group", "aria-labelledby": "confirm-delete", hidden: true },
    h("p", { id: "confirm-delete" }, "Delete this endpoint and its delivery log? This cannot be undone."),
  );
  const really = h("button", { type: "button", class: "danger" }, "Delete for good");
  const keep = h("button", { type: "button", class: "secondary" }, "Keep it");
  confirm.append(really, " ", keep);
  remove.addEventListener("click", () => {
    confirm.hidden = false;
    keep.focus();
  });
  keep.addEventListener("click", () => {
    confirm.hidden = true;
    remove.focus();
  });
  really.addEventListener("click", async () => {
    const { error, response } = await notifications.DELETE("/webhooks/{webhook_id}", path);
    if (!response.ok) return fail(response.status, error);
    navigate("/organize/webhooks");
  });

  alertOf(box);
  box.append(h("p", {}, test, " ", toggle, " ", rotate, " ", remove), confirm, said);
  return box;
}

function editForm(webhook: Webhook, reload: () => Promise<void>): HTMLFormElement {
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": "edit-webhook-heading" },
    h("h2", { id: "edit-webhook-heading" }, "Change it"),
    ...webhookFields(webhook),
    h("button", { type: "submit" }, "Save changes"),
  );
  form.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    const { error, response } = await notifications.PATCH("/webhooks/{webhook_id}", {
      params: { path: { webhook_id: webhook.id } },
      body: webhookValues(form),
    });
    if (!response.ok) return showProblem(form, webhookProblem(response.status, error));
    await reload();
  });
  return form;
}

export async function webhookPage(context: PageContext, secret?: string): Promise<void> {
  const { main, params } = context;
  const [{ data: webhook, error, response }, titles] = await Promise.all([
    notifications.GET("/webhooks/{webhook_id}", { params: { path: { webhook_id: params.id } } }),
    myEventTitles(),
  ]);
  const back = h("p", {}, h("a", { href: "/organize/webhooks" }, "← Webhooks"));
  if (webhook === undefined) {
    show(main, back, h("h1", {}, "Webhook"), h("p", { class: "alert", role: "alert" }, problemOf(response.status, error).message));
    return;
  }
  const reload = (rotated?: string) => webhookPage(context, rotated);
  const panel = secret ? secretPanel(secret, "The new signing secret") : null;
  show(
    main,
    back,
    h("h1", {}, "Webhook"),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "URL"),
      h("dd", {}, h("code", {}, webhook.url)),
      h("dt", {}, "State"),
      h("dd", { "data-state": webhook.enabled ? "enabled" : "disabled" }, stateOf(webhook)),
      h("dt", {}, "Facts"),
      h("dd", {}, webhook.event_types.join(", ")),
      h("dt", {}, "Events"),
      h("dd", {}, scopeOf(webhook, titles)),
      webhook.description ? [h("dt", {}, "Description"), h("dd", {}, webhook.description)] : null,
      h("dt", {}, "Created"),
      h("dd", {}, when(webhook.created_at)),
    ),
    h("p", {}, h("a", { href: `/organize/webhooks/${webhook.id}/deliveries`, class: "button secondary" }, "Deliveries")),
    panel,
    actions(webhook, reload),
    editForm(webhook, reload),
  );
  panel?.focus();
}
