// An organizer's sales dashboard for one event: sold and held per ticket type, revenue and check-ins.
// A live alert about the event (a sale) refreshes it at once; holds and scans are not alerts, so it
// also reads the figures again every few seconds while the tab is shown.
import type { components as BookingTypes } from "../api/booking_service";
import type { components as CheckinTypes } from "../api/checkin_service";
import { bookings, checkin, events } from "../client";
import { h, show } from "../dom";
import { money, when } from "../format";
import { onNotification } from "../live";
import type { Cleanup, PageContext } from "../router";

type Sales = BookingTypes["schemas"]["SalesPublic"];
type Report = CheckinTypes["schemas"]["CheckinListReport"];

const REFRESH_MS = 5000;

function salesTable(sales: Sales): HTMLElement {
  const cell = (value: string | number, name: string) => h("td", { "data-figure": name }, value);
  return h(
    "table",
    { class: "list", "aria-label": "Sales per ticket type" },
    h("thead", {}, h("tr", {}, ["Ticket type", "Sold", "Held", "Revenue"].map((name) => h("th", { scope: "col" }, name)))),
    h(
      "tbody",
      {},
      sales.ticket_types.map((type) =>
        h(
          "tr",
          { "data-ticket-type": type.ticket_type_id },
          h("th", { scope: "row" }, type.name),
          cell(type.sold, "sold"),
          cell(type.held, "held"),
          cell(money(type.revenue, sales.currency), "revenue"),
        ),
      ),
    ),
    h(
      "tfoot",
      {},
      h(
        "tr",
        { "data-ticket-type": "total" },
        h("th", { scope: "row" }, "All types"),
        cell(sales.sold, "sold"),
        cell(sales.held, "held"),
        cell(money(sales.revenue, sales.currency), "revenue"),
      ),
    ),
  );
}

function checkinsTable(reports: Report[]): HTMLElement {
  if (reports.length === 0) return h("p", { class: "muted" }, "No check-in list yet.");
  return h(
    "table",
    { class: "list", "aria-label": "Check-ins" },
    h("thead", {}, h("tr", {}, ["List", "Ticket type", "Checked in", "Inside now", "Valid tickets"].map((name) => h("th", { scope: "col" }, name)))),
    h(
      "tbody",
      {},
      reports.flatMap((report) =>
        report.counts.map((count) =>
          h(
            "tr",
            { "data-checkin-list": report.id, "data-ticket-type": count.ticket_type_id },
            h("th", { scope: "row" }, report.name),
            h("td", {}, count.name),
            h("td", { "data-figure": "checked_in" }, count.checked_in),
            h("td", { "data-figure": "inside_now" }, count.inside_now),
            h("td", { "data-figure": "total_valid" }, count.total_valid),
          ),
        ),
      ),
    ),
  );
}

export async function dashboardPage({ main, params }: PageContext): Promise<Cleanup | void> {
  const eventId = params.id;
  const { data: event, response } = await events.GET("/events/{event_id}", { params: { path: { event_id: eventId } } });
  if (event === undefined) {
    show(main, h("h1", {}, "Event not found"), h("p", {}, `HTTP ${response.status}`));
    return;
  }
  const figures = h("section", { "aria-labelledby": "sales-heading", "aria-busy": "true" });
  const checkins = h("section", { "aria-labelledby": "checkins-heading" });
  const updated = h("p", { class: "muted", "aria-live": "off" });
  let refreshing: Promise<void> | null = null;
  let again = false;

  async function read(): Promise<void> {
    const [sales, lists] = await Promise.all([
      bookings.GET("/events/{event_id}/sales", { params: { path: { event_id: eventId } } }),
      checkin.GET("/events/{event_id}/checkin-lists", { params: { path: { event_id: eventId }, query: { limit: 100 } } }),
    ]);
    if (sales.data === undefined) {
      figures.replaceChildren(h("h2", { id: "sales-heading" }, "Sales"), h("p", { class: "alert", role: "alert" }, `The sales could not be read (HTTP ${sales.response.status}).`));
    } else {
      const { data } = sales;
      figures.replaceChildren(
        h("h2", { id: "sales-heading" }, "Sales"),
        salesTable(data),
        h("p", {}, "Revenue ", h("strong", { "data-figure": "revenue" }, money(data.revenue, data.currency)), data.refunded ? ` · refunded ${money(data.refunded, data.currency)}` : ""),
      );
      figures.removeAttribute("aria-busy");
    }
    const reports = await Promise.all(
      (lists.data?.items ?? []).map((list) => checkin.GET("/checkin-lists/{checkin_list_id}", { params: { path: { checkin_list_id: list.id } } })),
    );
    checkins.replaceChildren(
      h("h2", { id: "checkins-heading" }, "Check-ins"),
      checkinsTable(reports.flatMap((report) => (report.data ? [report.data] : []))),
    );
    updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  }

  /** Reads the figures again; a request while one is under way is served by one more read after it. */
  function refresh(): void {
    if (refreshing !== null) {
      again = true;
      return;
    }
    refreshing = read()
      .catch(() => undefined) // offline for a moment: the next refresh tries again
      .finally(() => {
        refreshing = null;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  show(
    main,
    h("p", {}, h("a", { href: `/organize/${eventId}` }, `← ${event.title}`), " · ", h("a", { href: `/organize/${eventId}/checkin` }, "Check-in and attendees")),
    h("h1", {}, `Dashboard: ${event.title}`),
    h("p", { class: "muted" }, when(event.starts_at, event.timezone), " · ", event.venue, " · ", event.status),
    figures,
    checkins,
    updated,
  );
  refresh();
  await refreshing;
  const stopListening = onNotification((notification) => {
    if ((notification.data as { event_id?: string } | undefined)?.event_id === eventId) refresh();
  });
  const poll = window.setInterval(() => {
    if (document.visibilityState === "visible") refresh();
  }, REFRESH_MS);
  return () => {
    stopListening();
    window.clearInterval(poll);
  };
}
