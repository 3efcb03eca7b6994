// Anyone: one event, its ticket types with live availability; a signed-in attendee holds seats, sees
// the hold's countdown and pays for it with a test card.
import type { components as BookingTypes } from "../api/booking_service";
import type { components as EventTypes } from "../api/event_service";
import { bookings, events } from "../client";
import { field, h, show } from "../dom";
import { countdown, money, when } from "../format";
import type { Cleanup, PageContext } from "../router";
import { problemOf, showProblem } from "../problems";
import { currentUser } from "../session";
import { waitingListSection } from "./waitlist";

type Event = EventTypes["schemas"]["EventPublic"];
type Availability = BookingTypes["schemas"]["Availability"];
type Booking = BookingTypes["schemas"]["BookingPublic"];

const AVAILABILITY_REFRESH_MS = 5000;
const TEST_CARDS = [
  ["pm_card_visa", "Visa test card (pays)"],
  ["pm_card_chargeDeclined", "Declined test card"],
] as const;
const STATUS_TEXT: Record<string, string> = {
  on_sale: "On sale",
  not_yet: "Not on sale yet",
  ended: "Sales ended",
  sold_out: "Sold out",
};

interface TicketRow {
  id: string;
  name: string;
  price: number;
  max: number;
}

function ticketRows(event: Event): TicketRow[] {
  const types = event.ticket_types ?? [];
  if (types.length === 0) {
    // An event with no catalogue sells its default type, whose id is the event's.
    return [{ id: event.id, name: "Admission", price: event.price, max: event.max_tickets_per_booking ?? 10 }];
  }
  return types.map((type) => ({
    id: type.id,
    name: type.name,
    price: type.price,
    max: type.max_per_booking ?? event.max_tickets_per_booking ?? 10,
  }));
}

export async function eventPage({ main, params, query }: PageContext): Promise<Cleanup | void> {
  const { data: event, response } = await events.GET("/events/{event_id}", {
    params: { path: { event_id: params.id } },
  });
  if (event === undefined) {
    show(main, h("h1", {}, "Event not found"), h("p", {}, `HTTP ${response.status}. `, h("a", { href: "/" }, "All events")));
    return;
  }
  const timers: number[] = [];
  const rows = ticketRows(event);
  const availabilityCells = new Map<string, HTMLElement>();
  const summary = h("p", { class: "muted", "aria-live": "polite" });

  const table = h(
    "table",
    { class: "tickets" },
    h("caption", {}, "Tickets"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Type"), h("th", { scope: "col" }, "Price"), h("th", { scope: "col" }, "Availability"), h("th", { scope: "col" }, "Quantity"))),
    h(
      "tbody",
      {},
      rows.map((row) => {
        const cell = h("td", { "data-availability": row.id }, "…");
        availabilityCells.set(row.id, cell);
        const quantity = h("input", {
          type: "number",
          name: `quantity-${row.id}`,
          id: `quantity-${row.id}`,
          min: 0,
          max: row.max,
          value: 0,
          inputmode: "numeric",
        });
        return h(
          "tr",
          {},
          h("th", { scope: "row" }, row.name),
          h("td", {}, money(row.price, event.currency)),
          cell,
          h(
            "td",
            {},
            h("label", { for: quantity.id, class: "visually-hidden" }, `Quantity of ${row.name}`),
            quantity,
            h("p", { class: "field-error", "data-error-for": `quantity-${row.id}`, hidden: true }),
          ),
        );
      }),
    ),
  );

  async function refreshAvailability(): Promise<void> {
    const { data } = await bookings.GET("/events/{event_id}/availability", {
      params: { path: { event_id: event!.id } },
    });
    if (data === undefined) return;
    showAvailability(data);
  }

  function showAvailability(availability: Availability): void {
    waitingList.update(availability);
    summary.textContent = `${availability.available} of ${availability.capacity} seats available${availability.on_sale ? "" : " · not on sale"}`;
    for (const type of availability.ticket_types ?? []) {
      const cell = availabilityCells.get(type.ticket_type_id);
      if (cell === undefined) continue;
      cell.textContent = type.status === "on_sale" ? `${type.available} left` : (STATUS_TEXT[type.status] ?? type.status);
    }
  }

  const user = currentUser();
  const waitingList = waitingListSection(event.id, event.max_tickets_per_booking ?? 10, user !== null);
  const voucher = h("input", { name: "voucher", maxlength: 64, autocomplete: "off" });
  const holdPanel = h("section", { class: "hold", "aria-labelledby": "hold-heading", hidden: true });
  const form = h(
    "form",
    { class: "book", novalidate: true, "aria-label": "Book tickets" },
    table,
    summary,
    field("Voucher code (optional)", voucher),
    user !== null
      ? h("button", { type: "submit" }, "Hold tickets")
      : h("p", {}, h("a", { href: `/sign-in?next=${encodeURIComponent(location.pathname)}` }, "Sign in to book")),
  );

  form.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    const chosen = rows
      .map((row) => ({ row, quantity: Number((form.elements.namedItem(`quantity-${row.id}`) as HTMLInputElement).value) }))
      .filter(({ quantity }) => quantity !== 0);
    if (chosen.length === 0) {
      showProblem(form, { message: "Choose how many tickets of at least one type.", fields: {} });
      return;
    }
    const { data, error, response } = await bookings.POST("/bookings", {
      body: {
        event_id: event.id,
        hold: true,
        voucher: voucher.value.trim() || undefined,
        items: chosen.map(({ row, quantity }) => ({ ticket_type_id: row.id, quantity })),
      },
    });
    if (data === undefined) {
      const problem = problemOf(response.status, error);
      // The API names the n-th item it was sent; the page names the input of that type.
      for (const [name, message] of Object.entries({ ...problem.fields })) {
        const item = /^items\.(\d+)\./.exec(name);
        if (item !== null && chosen[Number(item[1])] !== undefined) {
          delete problem.fields[name];
          problem.fields[`quantity-${chosen[Number(item[1])].row.id}`] = message;
        }
      }
      const ticketType = (error as { ticket_type_id?: string } | undefined)?.ticket_type_id;
      if (ticketType !== undefined && problem.fields[`quantity-${ticketType}`] === undefined && response.status === 409) {
        problem.fields[`quantity-${ticketType}`] = problem.message;
      }
      showProblem(form, problem);
      void refreshAvailability();
      return;
    }
    showProblem(form, null);
    showHold(data);
    void refreshAvailability();
  });

  function showHold(booking: Booking): void {
    const expiresAt = new Date(booking.expires_at ?? Date.now()).getTime();
    const timer = h("strong", { role: "timer", "aria-live": "off", "data-countdown": "" });
    const card = h(
      "select",
      { name: "payment_method" },
      TEST_CARDS.map(([value, label]) => h("option", { value }, label)),
    );
    const payForm = h(
      "form",
      { novalidate: true, "aria-label": "Pay for the hold" },
      field("Card", card),
      h("button", { type: "submit" }, `Pay ${money(booking.amount, booking.currency)}`),
      h("button", { type: "button", class: "secondary", onclick: () => void giveUp() }, "Give up the hold"),
    );
    holdPanel.replaceChildren(
      h("h2", { id: "hold-heading" }, "Your hold"),
      h("ul", {}, booking.items.map((item) => h("li", {}, `${item.quantity} × ${item.name} at ${money(item.unit_price, booking.currency)}`))),
      h("p", {}, "Seats held for ", timer, ". Pay before then, or they go back on sale."),
      payForm,
    );
    holdPanel.hidden = false;
    (holdPanel.querySelector("h2") as HTMLElement).setAttribute("tabindex", "-1");
    (holdPanel.querySelector("h2") as HTMLElement).focus();

    const tick = () => {
      const left = (expiresAt - Date.now()) / 1000;
      timer.textContent = countdown(left);
      if (left <= 0) {
        window.clearInterval(interval);
        holdPanel.replaceChildren(h("h2", { id: "hold-heading" }, "The hold expired"), h("p", {}, "The seats are back on sale; hold again to book."));
        void refreshAvailability();
      }
    };
    const interval = window.setInterval(tick, 1000);
    timers.push(interval);
    tick();

    async function giveUp(): Promise<void> {
      await bookings.POST("/bookings/{booking_id}/cancel", { params: { path: { booking_id: booking.id } } });
      window.clearInterval(interval);
      holdPanel.hidden = true;
      void refreshAvailability();
    }

    payForm.addEventListener("submit", async (submitted) => {
      submitted.preventDefault();
      const method = card.value as (typeof TEST_CARDS)[number][0];
      const { data, error, response } = await bookings.POST("/bookings/{booking_id}/pay", {
        params: { path: { booking_id: booking.id } },
        body: { payment_method: method },
      });
      if (data === undefined) {
        showProblem(payForm, problemOf(response.status, error));
        if (response.status === 402 || response.status === 409) {
          window.clearInterval(interval);
          timer.textContent = "—";
          payForm.querySelectorAll("button").forEach((button) => (button.disabled = true));
          void refreshAvailability();
        }
        return;
      }
      window.clearInterval(interval);
      holdPanel.replaceChildren(
        h("h2", { id: "hold-heading", tabindex: "-1" }, "Booking confirmed"),
        h("p", { "data-booking-status": data.status }, `Paid ${money(data.amount, data.currency)}. `, h("a", { href: "/my/bookings" }, "See my bookings")),
      );
      (holdPanel.querySelector("h2") as HTMLElement).focus();
      void refreshAvailability();
    });
  }

  show(
    main,
    h("p", {}, h("a", { href: "/" }, "← All events")),
    h("h1", {}, event.title),
    h("p", { class: "muted" }, when(event.starts_at, event.timezone), " – ", when(event.ends_at, event.timezone), " · ", event.venue),
    event.status === "cancelled" ? h("p", { class: "alert" }, "This event is cancelled.") : null,
    event.description ? h("p", { class: "description" }, event.description) : null,
    form,
    holdPanel,
    waitingList.element,
  );

  // A hold made earlier (from "My bookings"): resume it here.
  const resumed = query.get("hold");
  if (resumed !== null && user !== null) {
    const { data } = await bookings.GET("/bookings/{booking_id}", { params: { path: { booking_id: resumed } } });
    if (data !== undefined && data.status === "held") showHold(data);
  }

  await refreshAvailability();
  const poll = window.setInterval(() => {
    if (document.visibilityState === "visible") void refreshAvailability();
  }, AVAILABILITY_REFRESH_MS);
  timers.push(poll);
  return () => timers.forEach((timer) => window.clearInterval(timer));
}
