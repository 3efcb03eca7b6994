// A confirmed booking's tickets, one per seat: the attendee's name and the QR code shown at the door.
import { bookings, checkin } from "../client";
import { h, show } from "../dom";
import type { Cleanup, PageContext } from "../router";

// Tickets are issued a moment after the booking is confirmed: until then the page asks again.
const ISSUE_POLL_MS = 1000;
const ISSUE_POLL_LIMIT = 30;

type Ticket = { id: string; ticket_type_id: string; attendee_name: string; secret: string; status: string };

/** Returns an image of the ticket's QR code; the SVG is fetched with the token, shown as an image. */
async function qrImage(ticket: Ticket, urls: string[]): Promise<HTMLElement> {
  const { data } = await checkin.GET("/tickets/{ticket_id}/qr.svg", {
    params: { path: { ticket_id: ticket.id } },
    parseAs: "text",
  });
  if (data === undefined) return h("p", { class: "alert", role: "alert" }, "The QR code could not be loaded.");
  const url = URL.createObjectURL(new Blob([data], { type: "image/svg+xml" }));
  urls.push(url);
  const name = ticket.attendee_name || "this ticket";
  return h("img", { src: url, alt: `QR code of the ticket for ${name}`, class: "qr", width: "240", height: "240" });
}

export async function ticketsPage({ main, params }: PageContext): Promise<Cleanup | void> {
  const urls: string[] = [];
  let poll: number | undefined;
  const cleanup = () => {
    window.clearTimeout(poll);
    for (const url of urls) URL.revokeObjectURL(url);
  };
  const booking = await bookings.GET("/bookings/{booking_id}", { params: { path: { booking_id: params.id } } });
  if (booking.data === undefined) {
    show(main, h("h1", {}, "Tickets"), h("p", { class: "alert", role: "alert" }, `This booking could not be loaded (HTTP ${booking.response.status}).`));
    return;
  }
  const names = new Map(booking.data.items.map((item) => [item.ticket_type_id, item.name]));
  const title = `Tickets for ${booking.data.event_title}`;

  async function load(attempt: number): Promise<void> {
    const { data, response } = await checkin.GET("/bookings/{booking_id}/tickets", {
      params: { path: { booking_id: params.id } },
    });
    if (data === undefined) {
      show(main, h("h1", {}, title), h("p", { class: "alert", role: "alert" }, `Tickets could not be loaded (HTTP ${response.status}).`));
      return;
    }
    if (data.items.length === 0) {
      show(main, h("h1", {}, title), h("p", { "aria-live": "polite" }, "Your tickets are being issued…"));
      if (attempt < ISSUE_POLL_LIMIT) poll = window.setTimeout(() => void load(attempt + 1), ISSUE_POLL_MS);
      return;
    }
    const cards = await Promise.all(
      data.items.map(async (ticket) =>
        h(
          "li",
          { class: "ticket", "data-ticket": ticket.id, "data-status": ticket.status },
          h("h2", {}, ticket.attendee_name || "Name to be given"),
          h("p", {}, names.get(ticket.ticket_type_id) ?? "Ticket", ticket.status === "revoked" ? " — revoked" : ""),
          ticket.status === "valid" ? await qrImage(ticket, urls) : null,
          h("p", { class: "muted" }, "Code, if the camera cannot read it: ", h("code", { "data-secret": "" }, ticket.secret)),
        ),
      ),
    );
    show(main, h("h1", {}, title), h("ol", { class: "tickets", "aria-label": "Tickets" }, cards));
  }

  await load(0);
  return cleanup;
}
