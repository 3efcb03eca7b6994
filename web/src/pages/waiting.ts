// An attendee's waiting list entries: where each stands, and an offer to pay before it expires.
import type { components } from "../api/booking_service";
import { bookings, events } from "../client";
import { field, h, show } from "../dom";
import { countdown, money, when } from "../format";
import { onNotification } from "../live";
import { problemOf, showProblem } from "../problems";
import type { Cleanup, PageContext } from "../router";

type Entry = components["schemas"]["WaitingListEntryPublic"];
type Event = { title: string; timezone?: string | null; types: Map<string, string> };

const PAGE_SIZE = 20;
const STATE_TEXT: Record<Entry["state"], string> = {
  waiting: "Waiting",
  offered: "Seats offered to you",
  booked: "Booked",
  expired: "Ended",
  withdrawn: "Left",
};
const TEST_CARDS = [
  ["pm_card_visa", "Visa test card (pays)"],
  ["pm_card_chargeDeclined", "Declined test card"],
] as const;

async function eventsOf(entries: Entry[]): Promise<Map<string, Event>> {
  const ids = [...new Set(entries.map((entry) => entry.event_id))];
  const found = await Promise.all(ids.map((id) => events.GET("/events/{event_id}", { params: { path: { event_id: id } } })));
  const known = new Map<string, Event>();
  found.forEach(({ data }, index) => {
    const types = new Map((data?.ticket_types ?? []).map((type) => [type.id, type.name]));
    types.set(ids[index], "Admission"); // an event's default type has the event's id
    known.set(ids[index], { title: data?.title ?? "An event", timezone: data?.timezone, types });
  });
  return known;
}

export async function waitingPage(context: PageContext): Promise<Cleanup> {
  const timers: (() => void)[] = [];
  const draw = async () => {
    timers.splice(0).forEach((stop) => stop());
    await drawEntries(context, timers, draw);
  };
  await draw();
  // An offer made or ended while the page is open: the entries are read again, its countdown shown.
  const stopListening = onNotification((notification) => {
    if (notification.type === "booking.offered" || notification.type === "booking.expired") void draw();
  });
  return () => {
    stopListening();
    timers.forEach((stop) => stop());
  };
}

/** Draws the entries; each offer's countdown adds its stop to `timers`; `reload` draws them afresh. */
async function drawEntries(context: PageContext, timers: (() => void)[], reload: () => Promise<void>): Promise<void> {
  const { main, query } = context;
  const offset = Math.max(0, Number(query.get("offset") ?? 0) || 0);
  const { data, response } = await bookings.GET("/waiting-list", { params: { query: { limit: PAGE_SIZE, offset } } });
  if (data === undefined) {
    show(main, h("h1", {}, "My waiting list"), h("p", { class: "alert", role: "alert" }, `The waiting list could not be loaded (HTTP ${response.status}).`));
    return;
  }
  const known = await eventsOf(data.items);

  function offerPanel(entry: Entry, event: Event): HTMLElement {
    const offer = entry.offer!;
    const expiresAt = Date.parse(offer.expires_at);
    const timer = h("strong", { role: "timer", "aria-live": "off", "data-countdown": "" });
    const card = h("select", { name: "payment_method" }, TEST_CARDS.map(([value, label]) => h("option", { value }, label)));
    const pay = h("button", { type: "submit" }, "Pay for the offer");
    const form = h(
      "form",
      { novalidate: true, "aria-label": `Pay for the offer for ${event.title}` },
      h("p", {}, `${offer.quantity === 1 ? "1 seat" : `${offer.quantity} seats`} held for you until ${when(offer.expires_at, event.timezone)}: `, timer, " left."),
      field("Card", card),
      pay,
    );
    void bookings.GET("/bookings/{booking_id}", { params: { path: { booking_id: offer.booking_id } } }).then(({ data: booking }) => {
      if (booking !== undefined) pay.textContent = `Pay ${money(booking.amount, booking.currency)}`;
    });
    const tick = () => {
      const left = (expiresAt - Date.now()) / 1000;
      timer.textContent = countdown(left);
      if (left <= 0) {
        window.clearInterval(interval);
        pay.disabled = true;
        form.replaceChildren(h("p", {}, "The offer expired; its seats passed to the next in line."));
      }
    };
    const interval = window.setInterval(tick, 1000);
    timers.push(() => window.clearInterval(interval));
    tick();
    form.addEventListener("submit", async (submitted) => {
      submitted.preventDefault();
      const { data: paid, error, response: answer } = await bookings.POST("/bookings/{booking_id}/pay", {
        params: { path: { booking_id: offer.booking_id } },
        body: { payment_method: card.value as (typeof TEST_CARDS)[number][0] },
      });
      if (paid === undefined) {
        showProblem(form, problemOf(answer.status, error));
        return;
      }
      window.clearInterval(interval);
      form.replaceChildren(
        h("p", { "data-booking-status": paid.status }, `Booked: ${money(paid.amount, paid.currency)} paid. `, h("a", { href: `/my/bookings/${paid.id}/tickets` }, "Tickets")),
      );
    });
    return form;
  }

  const rows = data.items.map((entry) => {
    const event = known.get(entry.event_id) ?? { title: "An event", types: new Map() };
    const typeName = event.types.get(entry.ticket_type_id) ?? "Ticket";
    const actions = h("td", {});
    if (entry.state === "waiting" || entry.state === "offered") {
      const message = h("p", { class: "alert", role: "alert", hidden: true });
      const leave = h("button", { type: "button", class: "secondary", "aria-label": `Leave the waiting list for ${event.title}` }, "Leave");
      leave.addEventListener("click", async () => {
        const { error, response: answer } = await bookings.DELETE("/waiting-list/{entry_id}", { params: { path: { entry_id: entry.id } } });
        if (!answer.ok) {
          message.textContent = problemOf(answer.status, error).message;
          message.hidden = false;
          return;
        }
        await reload();
      });
      actions.append(leave, message);
    }
    return h(
      "tr",
      { "data-entry": entry.id },
      h("th", { scope: "row" }, h("a", { href: `/event/${entry.event_id}` }, event.title)),
      h("td", {}, `${entry.quantity} × ${typeName}`, entry.accept_partial ? h("div", { class: "muted" }, "fewer accepted") : null),
      h(
        "td",
        { "data-state": entry.state },
        STATE_TEXT[entry.state],
        entry.position !== null ? h("div", {}, `number ${entry.position} in line`) : null,
        entry.state === "offered" && entry.offer ? offerPanel(entry, event) : null,
      ),
      actions,
    );
  });

  show(
    main,
    h("h1", {}, "My waiting list"),
    data.items.length === 0
      ? h("p", {}, "You are on no waiting list. A sold-out ticket type offers one on its event's page.")
      : h(
          "table",
          { class: "list" },
          h("thead", {}, h("tr", {}, ["Event", "Seats", "Where it stands", "Actions"].map((name) => h("th", { scope: "col" }, name)))),
          h("tbody", {}, rows),
        ),
    h(
      "nav",
      { class: "pager", "aria-label": "Pages" },
      offset > 0 ? h("a", { href: `/my/waiting-list?offset=${Math.max(0, offset - PAGE_SIZE)}`, class: "button" }, "Newer") : null,
      offset + PAGE_SIZE < data.total ? h("a", { href: `/my/waiting-list?offset=${offset + PAGE_SIZE}`, class: "button" }, "Older") : null,
    ),
  );
}
