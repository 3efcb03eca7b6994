// The fields a webhook is made and changed with: its URL, the facts it receives, a description.
import type { components } from "../api/notification_service";
import { field, h } from "../dom";
import { type Problem, problemOf } from "../problems";

type Webhook = components["schemas"]["WebhookPublic"];

// The facts the notification service sends, by family (its 422 lists them, should these fall behind).
const FAMILIES: [string, string[]][] = [
  ["booking", ["held", "offered", "expired", "confirmed", "failed", "cancelled"]],
  ["event", ["created", "updated", "cancelled", "deleted"]],
  ["ticket", ["issued", "revoked"]],
  ["checkin", ["scanned"]],
];

function typeBox(name: string, label: string, chosen: Set<string>): HTMLElement {
  const box = h("input", { type: "checkbox", name: "event_types", value: name, checked: chosen.has(name) });
  return h("label", { class: "check" }, box, label);
}

/** The event types as checkboxes, a family's wildcard first; its error shows beneath them. */
function typesFieldset(chosen: string[]): HTMLElement {
  const picked = new Set(chosen);
  return h(
    "fieldset",
    { class: "types", "aria-describedby": "event-types-error" },
    h("legend", {}, "Facts to send"),
    FAMILIES.map(([family, kinds]) =>
      h(
        "div",
        { class: "type-family" },
        typeBox(`${family}.*`, `${family}.* (every ${family} fact, new ones too)`, picked),
        kinds.map((kind) => typeBox(`${family}.${kind}`, `${family}.${kind}`, picked)),
      ),
    ),
    h("p", { class: "field-error", id: "event-types-error", "data-error-for": "event_types", hidden: true }),
  );
}

/** The URL, event types and description of `webhook` (empty for a new one). */
export function webhookFields(webhook?: Webhook): HTMLElement[] {
  return [
    field(
      "Endpoint URL",
      h("input", { name: "url", type: "url", maxlength: 2000, value: webhook?.url ?? "", autocomplete: "off", required: true }),
      "https, to a public address: the platform POSTs each fact there, signed.",
    ),
    typesFieldset(webhook?.event_types ?? ["booking.confirmed", "booking.cancelled"]),
    field("Description", h("textarea", { name: "description", maxlength: 500, rows: 2 }, webhook?.description ?? ""), "For you: what this endpoint feeds."),
  ];
}

/** The values of a form holding `webhookFields`. */
export function webhookValues(form: HTMLFormElement): { url: string; event_types: string[]; description: string } {
  const values = new FormData(form);
  return {
    url: String(values.get("url") ?? "").trim(),
    event_types: values.getAll("event_types").map(String),
    description: String(values.get("description") ?? "").trim(),
  };
}

/** The problem of a create or change answer: the routes' one 422 with a plain message refuses the URL. */
export function webhookProblem(status: number, error: unknown): Problem {
  const problem = problemOf(status, error);
  if (status === 422 && Object.keys(problem.fields).length === 0) return { message: "Some fields need a change.", fields: { url: problem.message } };
  return problem;
}
