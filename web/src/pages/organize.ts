// Organizers: their events, a new event, and one event's details (its catalogue: catalogue.ts).
import type { components } from "../api/event_service";
import { events } from "../client";
import { field, h, show } from "../dom";
import { knownZone, toInstant, toLocalInput, when } from "../format";
import { problemOf, showProblem } from "../problems";
import { navigate, type PageContext } from "../router";
import { currentUser } from "../session";
import { quotasSection, ticketTypesSection, vouchersSection } from "./catalogue";

type Event = components["schemas"]["EventPublic"];

const PAGE_SIZE = 20;

export async function myEventsPage({ main, query }: PageContext): Promise<void> {
  const offset = Math.max(0, Number(query.get("offset") ?? 0) || 0);
  const { data } = await events.GET("/events", {
    params: { query: { owner_id: currentUser()?.id, limit: PAGE_SIZE, offset } },
  });
  const items = data?.items ?? [];
  show(
    main,
    h("h1", {}, "My events"),
    h("p", {}, h("a", { href: "/organize/new", class: "button" }, "New event"), " ", h("a", { href: "/organize/webhooks", class: "button secondary" }, "Webhooks")),
    items.length === 0
      ? h("p", {}, "No events yet.")
      : h(
          "ul",
          { class: "plain" },
          items.map((event) =>
            h("li", {}, h("a", { href: `/organize/${event.id}` }, event.title), " · ", when(event.starts_at, event.timezone), " · ", event.status),
          ),
        ),
    h(
      "nav",
      { class: "pager", "aria-label": "Pages" },
      offset > 0 ? h("a", { href: `/organize?offset=${Math.max(0, offset - PAGE_SIZE)}`, class: "button" }, "Previous page") : null,
      data && offset + PAGE_SIZE < data.total ? h("a", { href: `/organize?offset=${offset + PAGE_SIZE}`, class: "button" }, "Next page") : null,
    ),
  );
}

function eventFields(event?: Event): HTMLElement[] {
  const zone = event?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return [
    field("Title", h("input", { name: "title", value: event?.title ?? "", maxlength: 200 })),
    field("Description", h("textarea", { name: "description", maxlength: 5000, rows: 3 }, event?.description ?? "")),
    field("Venue", h("input", { name: "venue", value: event?.venue ?? "", maxlength: 200 })),
    field("Category", h("input", { name: "category", value: event?.category ?? "", maxlength: 50 })),
    field("Time zone", h("input", { name: "timezone", value: zone, maxlength: 64 }), "IANA name, e.g. Europe/Paris: the times below are read and shown in it."),
    field("Starts", h("input", { name: "starts_at", type: "datetime-local", value: event ? toLocalInput(event.starts_at, zone) : "" }), "On the clock of the event's time zone."),
    field("Ends", h("input", { name: "ends_at", type: "datetime-local", value: event ? toLocalInput(event.ends_at, zone) : "" })),
    field("Capacity", h("input", { name: "capacity", type: "number", min: 1, value: event?.capacity ?? 100 })),
    field("Price of the default ticket (minor units, e.g. cents)", h("input", { name: "price", type: "number", min: 0, value: event?.price ?? 0 })),
    field("Currency", h("input", { name: "currency", value: event?.currency ?? "EUR", maxlength: 3 })),
    field("Most tickets per booking", h("input", { name: "max_tickets_per_booking", type: "number", min: 1, value: event?.max_tickets_per_booking ?? "" })),
  ];
}

/** The form's values, its times read in the time zone it names; null (with the fault shown) when that is unknown. */
function eventValues(form: HTMLFormElement): Record<string, unknown> | null {
  const values = new FormData(form);
  const text = (name: string) => String(values.get(name) ?? "").trim();
  const number = (name: string) => (text(name) === "" ? undefined : Number(text(name)));
  const zone = text("timezone") || Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!knownZone(zone)) {
    showProblem(form, { message: "Some fields need a change.", fields: { timezone: `Unknown time zone ${zone}: use an IANA name such as Europe/Paris.` } });
    return null;
  }
  const instant = (name: string) => (text(name) ? toInstant(text(name), zone) : undefined);
  return {
    title: text("title"),
    description: text("description"),
    venue: text("venue"),
    category: text("category"),
    starts_at: instant("starts_at"),
    ends_at: instant("ends_at"),
    timezone: zone,
    capacity: number("capacity"),
    price: number("price"),
    currency: text("currency").toUpperCase(),
    max_tickets_per_booking: number("max_tickets_per_booking"),
  };
}

export function newEventPage({ main }: PageContext): void {
  const form = h("form", { novalidate: true, "aria-labelledby": "new-event-heading" }, ...eventFields(), h("button", { type: "submit" }, "Create event"));
  form.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    const body = eventValues(form);
    if (body === null) return;
    const { data, error, response } = await events.POST("/events", { body: body as components["schemas"]["EventCreate"] });
    if (data === undefined) return showProblem(form, problemOf(response.status, error));
    navigate(`/organize/${data.id}`);
  });
  show(main, h("h1", { id: "new-event-heading" }, "New event"), form);
}

export async function editEventPage(context: PageContext): Promise<void> {
  const { main, params } = context;
  const eventId = params.id;
  const [{ data: event, response }, { data: types }, { data: quotas }, { data: vouchers }] = await Promise.all([
    events.GET("/events/{event_id}", { params: { path: { event_id: eventId } } }),
    events.GET("/events/{event_id}/ticket-types", { params: { path: { event_id: eventId } } }),
    events.GET("/events/{event_id}/quotas", { params: { path: { event_id: eventId } } }),
    events.GET("/events/{event_id}/vouchers", { params: { path: { event_id: eventId }, query: { limit: 100 } } }),
  ]);
  if (event === undefined) {
    show(main, h("h1", {}, "Event not found"), h("p", {}, `HTTP ${response.status}`));
    return;
  }
  const reload = () => editEventPage(context);
  const ifMatch = { "if-match": `"${event.version}"` };

  const details = h("form", { novalidate: true, "aria-labelledby": "details-heading" }, ...eventFields(event), h("button", { type: "submit" }, "Save changes"));
  details.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    const body = eventValues(details);
    if (body === null) return;
    const { data, error, response } = await events.PATCH("/events/{event_id}", {
      params: { path: { event_id: eventId }, header: ifMatch },
      body: body as components["schemas"]["EventUpdate"],
    });
    if (data === undefined) return showProblem(details, problemOf(response.status, error));
    await reload();
    main.querySelector<HTMLElement>(".saved")?.removeAttribute("hidden");
  });

  const cancelButton = h("button", { type: "button", class: "danger" }, "Cancel this event");
  cancelButton.addEventListener("click", async () => {
    if (!window.confirm(`Cancel ${event.title}? Every booking is refunded; this cannot be undone.`)) return;
    const { error, response } = await events.POST("/events/{event_id}/cancel", {
      params: { path: { event_id: eventId }, header: ifMatch },
    });
    if (!response.ok) return showProblem(details, problemOf(response.status, error));
    await reload();
  });

  show(
    main,
    h(
      "p",
      {},
      h("a", { href: "/organize" }, "← My events"),
      " · ",
      h("a", { href: `/event/${eventId}` }, "Public page"),
      " · ",
      h("a", { href: `/organize/${eventId}/dashboard` }, "Sales dashboard"),
      " · ",
      h("a", { href: `/organize/${eventId}/checkin` }, "Check-in and attendees"),
    ),
    h("h1", {}, event.title),
    h("p", { class: "saved", role: "status", hidden: true }, "Saved."),
    h("p", { class: "muted" }, `Status: ${event.status} · version ${event.version}`),
    h("section", {}, h("h2", { id: "details-heading" }, "Details"), details, event.status === "scheduled" ? cancelButton : null),
    ticketTypesSection(event, types ?? [], ifMatch, reload),
    quotasSection(event, types ?? [], quotas ?? [], ifMatch, reload),
    vouchersSection(event, types ?? [], vouchers?.items ?? [], ifMatch, reload),
  );
}
