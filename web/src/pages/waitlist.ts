// On an event's page: joining the waiting list of a sold-out ticket type.
import type { components } from "../api/booking_service";
import { bookings } from "../client";
import { field, h } from "../dom";
import { problemOf, showProblem } from "../problems";

type Availability = components["schemas"]["Availability"];

export interface WaitingListSection {
  element: HTMLElement;
  /** Offers the sold-out types of `availability` (hidden while none is). */
  update: (availability: Availability) => void;
}

export function waitingListSection(eventId: string, maxPerBooking: number, signedIn: boolean): WaitingListSection {
  const type = h("select", { name: "ticket_type_id" });
  const quantity = h("input", { name: "quantity", type: "number", min: 1, max: maxPerBooking, value: 1, inputmode: "numeric" });
  const joined = h("p", { role: "status", hidden: true });
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": "waiting-heading" },
    field("Ticket type", type),
    field("How many seats", quantity),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "accept_partial", value: "true" }), "Take fewer if not all free up"),
    h("button", { type: "submit" }, "Join the waiting list"),
  );
  const element = h(
    "section",
    { class: "waiting", "aria-labelledby": "waiting-heading", hidden: true },
    h("h2", { id: "waiting-heading" }, "Waiting list"),
    h("p", {}, "Sold out. Join the waiting list: when seats free up they are held for you, in order of joining, and you are told at once."),
    signedIn ? form : h("p", {}, h("a", { href: `/sign-in?next=${encodeURIComponent(location.pathname)}` }, "Sign in to join the waiting list")),
    joined,
  );

  form.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    const { data, error, response } = await bookings.POST("/events/{event_id}/waiting-list", {
      params: { path: { event_id: eventId } },
      body: {
        ticket_type_id: type.value,
        quantity: Number(quantity.value),
        accept_partial: new FormData(form).get("accept_partial") === "true",
      },
    });
    if (data === undefined) return showProblem(form, problemOf(response.status, error));
    showProblem(form, null);
    joined.replaceChildren(
      data.position === null ? "You are on the waiting list. " : `You are number ${data.position} in line. `,
      h("a", { href: "/my/waiting-list" }, "My waiting list"),
    );
    joined.hidden = false;
  });

  function update(availability: Availability): void {
    const soldOut = (availability.ticket_types ?? []).filter((one) => one.status === "sold_out");
    element.hidden = soldOut.length === 0;
    const chosen = type.value;
    type.replaceChildren(...soldOut.map((one) => h("option", { value: one.ticket_type_id, selected: one.ticket_type_id === chosen }, one.name)));
  }

  return { element, update };
}
