// An attendee's bookings, newest first: pay a hold, cancel a booking.
import { bookings } from "../client";
import { h, show } from "../dom";
import { money, when } from "../format";
import { problemOf } from "../problems";
import type { PageContext } from "../router";

const PAGE_SIZE = 20;
const CANCELLABLE = new Set(["confirmed", "held"]);

export async function bookingsPage(context: PageContext): Promise<void> {
  const { main, query } = context;
  const offset = Math.max(0, Number(query.get("offset") ?? 0) || 0);
  const { data, response } = await bookings.GET("/bookings", { params: { query: { limit: PAGE_SIZE, offset } } });
  if (data === undefined) {
    show(main, h("h1", {}, "My bookings"), h("p", { class: "alert", role: "alert" }, `Bookings could not be loaded (HTTP ${response.status}).`));
    return;
  }
  const rows = data.items.map((booking) => {
    const message = h("p", { class: "alert", role: "alert", hidden: true });
    const actions = h("td", {});
    if (booking.status === "confirmed") {
      actions.append(h("a", { href: `/my/bookings/${booking.id}/tickets`, class: "button" }, "Tickets"), " ");
    }
    if (booking.status === "held") {
      actions.append(h("a", { href: `/event/${booking.event_id}?hold=${booking.id}`, class: "button" }, "Pay"), " ");
    }
    if (CANCELLABLE.has(booking.status)) {
      actions.append(
        h(
          "button",
          {
            type: "button",
            class: "secondary",
            "aria-label": `Cancel booking for ${booking.event_title}`,
            onclick: async () => {
              if (!window.confirm(`Cancel your booking for ${booking.event_title}?`)) return;
              const { error, response } = await bookings.POST("/bookings/{booking_id}/cancel", {
                params: { path: { booking_id: booking.id } },
              });
              if (!response.ok) {
                message.textContent = problemOf(response.status, error).message;
                message.hidden = false;
                return;
              }
              await bookingsPage(context);
            },
          },
          "Cancel",
        ),
      );
    }
    actions.append(message);
    return h(
      "tr",
      { "data-booking": booking.id },
      h("th", { scope: "row" }, h("a", { href: `/event/${booking.event_id}` }, booking.event_title)),
      h("td", {}, booking.items.map((item) => h("div", {}, `${item.quantity} × ${item.name}`))),
      h(
        "td",
        {},
        money(booking.amount, booking.currency),
        booking.refunded_amount ? h("div", { class: "muted" }, `refunded ${money(booking.refunded_amount, booking.currency)}`) : null,
      ),
      h(
        "td",
        { "data-status": booking.status },
        booking.status,
        booking.status === "held" && booking.expires_at ? h("div", { class: "muted" }, `until ${when(booking.expires_at)}`) : null,
        booking.failure_reason ? h("div", { class: "muted" }, booking.failure_reason) : null,
      ),
      actions,
    );
  });
  show(
    main,
    h("h1", {}, "My bookings"),
    data.items.length === 0
      ? h("p", {}, "No bookings yet. ", h("a", { href: "/" }, "Find an event"))
      : h(
          "table",
          { class: "list" },
          h("thead", {}, h("tr", {}, ["Event", "Tickets", "Amount", "Status", "Actions"].map((name) => h("th", { scope: "col" }, name)))),
          h("tbody", {}, rows),
        ),
    h(
      "nav",
      { class: "pager", "aria-label": "Pages" },
      offset > 0 ? h("a", { href: `/my/bookings?offset=${Math.max(0, offset - PAGE_SIZE)}`, class: "button" }, "Newer") : null,
      offset + PAGE_SIZE < data.total ? h("a", { href: `/my/bookings?offset=${offset + PAGE_SIZE}`, class: "button" }, "Older") : null,
    ),
  );
}
