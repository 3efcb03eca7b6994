// An event's catalogue, for its organizer: ticket types, quotas (types sharing seats) and vouchers.
import type { components } from "../api/event_service";
import { events } from "../client";
import { field, h } from "../dom";
import { money } from "../format";
import { problemOf, showProblem } from "../problems";

type Event = components["schemas"]["EventPublic"];
type TicketType = components["schemas"]["TicketTypePublic"];
export type Reload = () => Promise<void>;
// Every write names the version it was made from: a change made meanwhile answers 412, not lost.
export type IfMatch = { "if-match": string };

export function ticketTypesSection(event: Event, types: TicketType[], ifMatch: IfMatch, reload: Reload): HTMLElement {
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": "add-type-heading" },
    h("h3", { id: "add-type-heading" }, "Add a ticket type"),
    field("Name", h("input", { name: "name", maxlength: 100 })),
    field("Price (minor units)", h("input", { name: "price", type: "number", min: 0, value: event.price })),
    field("Most per booking", h("input", { name: "max_per_booking", type: "number", min: 1 })),
    field("Hidden (only with a voucher)", h("select", { name: "hidden" }, h("option", { value: "false" }, "No"), h("option", { value: "true" }, "Yes"))),
    h("button", { type: "submit" }, "Add ticket type"),
  );
  form.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    const values = new FormData(form);
    const max = String(values.get("max_per_booking") ?? "");
    const { error, response } = await events.POST("/events/{event_id}/ticket-types", {
      params: { path: { event_id: event.id }, header: ifMatch },
      body: {
        name: String(values.get("name")).trim(),
        price: Number(values.get("price")),
        max_per_booking: max === "" ? undefined : Number(max),
        hidden: values.get("hidden") === "true",
      },
    });
    if (!response.ok) return showProblem(form, problemOf(response.status, error));
    await reload();
  });
  const rows = types.map((type) => {
    const remove = h("button", { type: "button", class: "secondary", "aria-label": `Delete ticket type ${type.name}` }, "Delete");
    const message = h("p", { class: "alert", role: "alert", hidden: true });
    remove.addEventListener("click", async () => {
      const { error, response } = await events.DELETE("/events/{event_id}/ticket-types/{ticket_type_id}", {
        params: { path: { event_id: event.id, ticket_type_id: type.id }, header: ifMatch },
      });
      if (!response.ok) {
        message.textContent = problemOf(response.status, error).message;
        message.hidden = false;
        return;
      }
      await reload();
    });
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, type.name),
      h("td", {}, money(type.price, event.currency)),
      h("td", {}, type.max_per_booking ?? "—"),
      h("td", {}, type.hidden ? "hidden" : "public"),
      h("td", {}, editTicketType(event, type, ifMatch, reload), type.id === event.id ? null : remove, message),
    );
  });
  return h(
    "section",
    {},
    h("h2", {}, "Ticket types"),
    h("table", { class: "list" }, h("thead", {}, h("tr", {}, ["Name", "Price", "Per booking", "Shown", ""].map((name) => h("th", { scope: "col" }, name)))), h("tbody", {}, rows)),
    form,
  );
}

function editTicketType(event: Event, type: TicketType, ifMatch: IfMatch, reload: Reload): HTMLElement {
  const form = h(
    "form",
    { novalidate: true, "aria-label": `Edit ticket type ${type.name}` },
    field("Name", h("input", { name: "name", value: type.name, maxlength: 100 })),
    field("Price (minor units)", h("input", { name: "price", type: "number", min: 0, value: type.price })),
    field("Most per booking", h("input", { name: "max_per_booking", type: "number", min: 1, value: type.max_per_booking ?? "" })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "hidden", value: "true", checked: type.hidden }), "Hidden (only with a voucher)"),
    h("button", { type: "submit" }, "Save"),
  );
  form.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    const values = new FormData(form);
    const max = String(values.get("max_per_booking") ?? "");
    const { error, response } = await events.PATCH("/events/{event_id}/ticket-types/{ticket_type_id}", {
      params: { path: { event_id: event.id, ticket_type_id: type.id }, header: ifMatch },
      body: {
        name: String(values.get("name")).trim(),
        price: Number(values.get("price")),
        max_per_booking: max === "" ? null : Number(max),
        hidden: values.get("hidden") === "true",
      },
    });
    if (!response.ok) return showProblem(form, problemOf(response.status, error));
    await reload();
  });
  return h("details", {}, h("summary", {}, `Edit ${type.name}`), form);
}

export function quotasSection(
  event: Event,
  types: TicketType[],
  quotas: components["schemas"]["QuotaPublic"][],
  ifMatch: IfMatch,
  reload: Reload,
): HTMLElement {
  const names = new Map(types.map((type) => [type.id, type.name]));
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": "add-quota-heading" },
    h("h3", { id: "add-quota-heading" }, "Add a quota"),
    field("Name", h("input", { name: "name", maxlength: 100 })),
    field("Size", h("input", { name: "size", type: "number", min: 1 })),
    h(
      "fieldset",
      {},
      h("legend", {}, "Ticket types sharing it"),
      types.map((type) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "ticket_type_ids", value: type.id }), type.name)),
      h("p", { class: "field-error", "data-error-for": "ticket_type_ids", hidden: true }),
    ),
    h("button", { type: "submit" }, "Add quota"),
  );
  form.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    const values = new FormData(form);
    const { error, response } = await events.POST("/events/{event_id}/quotas", {
      params: { path: { event_id: event.id }, header: ifMatch },
      body: {
        name: String(values.get("name")).trim(),
        size: Number(values.get("size")),
        ticket_type_ids: values.getAll("ticket_type_ids").map(String),
      },
    });
    if (!response.ok) return showProblem(form, problemOf(response.status, error));
    await reload();
  });
  return h(
    "section",
    {},
    h("h2", {}, "Quotas"),
    quotas.length === 0
      ? h("p", { class: "muted" }, "None: each type sells up to the capacity.")
      : h(
          "ul",
          { class: "plain" },
          quotas.map((quota) => {
            const remove = h("button", { type: "button", class: "secondary", "aria-label": `Delete quota ${quota.name}` }, "Delete");
            remove.addEventListener("click", async () => {
              await events.DELETE("/events/{event_id}/quotas/{quota_id}", {
                params: { path: { event_id: event.id, quota_id: quota.id }, header: ifMatch },
              });
              await reload();
            });
            const resize = h(
              "form",
              { novalidate: true, class: "inline", "aria-label": `Resize quota ${quota.name}` },
              field(`Size of ${quota.name}`, h("input", { name: "size", type: "number", min: 1, value: quota.size })),
              h("button", { type: "submit", class: "secondary" }, "Resize"),
            );
            resize.addEventListener("submit", async (submitted) => {
              submitted.preventDefault();
              const size = Number(new FormData(resize).get("size"));
              const { error, response } = await events.PATCH("/events/{event_id}/quotas/{quota_id}", {
                params: { path: { event_id: event.id, quota_id: quota.id }, header: ifMatch },
                body: { size },
              });
              if (!response.ok) return showProblem(resize, problemOf(response.status, error));
              await reload();
            });
            const shared = quota.ticket_type_ids.map((id) => names.get(id) ?? id).join(", ");
            return h("li", {}, `${quota.name}: ${quota.size} seats for ${shared} `, remove, resize);
          }),
        ),
    form,
  );
}

export function vouchersSection(
  event: Event,
  types: TicketType[],
  vouchers: components["schemas"]["VoucherPublic"][],
  ifMatch: IfMatch,
  reload: Reload,
): HTMLElement {
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": "add-voucher-heading" },
    h("h3", { id: "add-voucher-heading" }, "Add a voucher"),
    field("Code", h("input", { name: "code", maxlength: 32, autocomplete: "off" }), "Letters, digits, - and _; leave empty for a random one."),
    field("Uses", h("input", { name: "max_usages", type: "number", min: 1, value: 1 })),
    field(
      "Discount",
      h(
        "select",
        { name: "price_mode" },
        h("option", { value: "percent" }, "Percent off"),
        h("option", { value: "fixed" }, "Amount off (minor units)"),
        h("option", { value: "set" }, "Set the price (minor units)"),
        h("option", { value: "none" }, "No discount (unlocks only)"),
      ),
    ),
    field("Value", h("input", { name: "value", type: "number", min: 0, value: 10 })),
    h(
      "fieldset",
      {},
      h("legend", {}, "Applies to (none ticked: every type)"),
      types.map((type) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "ticket_type_ids", value: type.id }), type.name)),
    ),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "unlocks_hidden", value: "true" }), "Unlocks hidden types"),
    h("button", { type: "submit" }, "Add voucher"),
  );
  form.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    const values = new FormData(form);
    const code = String(values.get("code") ?? "").trim();
    const { error, response } = await events.POST("/events/{event_id}/vouchers", {
      params: { path: { event_id: event.id }, header: ifMatch },
      body: {
        code: code || undefined,
        max_usages: Number(values.get("max_usages")),
        price_mode: String(values.get("price_mode")) as "percent",
        value: Number(values.get("value")),
        ticket_type_ids: values.getAll("ticket_type_ids").map(String),
        unlocks_hidden: values.get("unlocks_hidden") === "true",
      },
    });
    if (!response.ok) return showProblem(form, problemOf(response.status, error));
    await reload();
  });
  return h(
    "section",
    {},
    h("h2", {}, "Vouchers"),
    vouchers.length === 0
      ? h("p", { class: "muted" }, "None yet.")
      : h(
          "ul",
          { class: "plain" },
          vouchers.map((voucher) => {
            const toggle = h("button", { type: "button", class: "secondary" }, voucher.disabled ? `Enable ${voucher.code}` : `Disable ${voucher.code}`);
            toggle.addEventListener("click", async () => {
              await events.PATCH("/events/{event_id}/vouchers/{code}", {
                params: { path: { event_id: event.id, code: voucher.code }, header: ifMatch },
                body: { disabled: !voucher.disabled },
              });
              await reload();
            });
            return h(
              "li",
              {},
              h("code", {}, voucher.code),
              ` ${voucher.price_mode} ${voucher.value} · up to ${voucher.max_usages} uses${voucher.redeemed ? " · redeemed" : ""}${voucher.disabled ? " · disabled" : ""} `,
              toggle,
            );
          }),
        ),
    form,
  );
}
