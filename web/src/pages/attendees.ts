// One check-in list's attendees, a page at a time, with where each stands; every row as a CSV download.
import type { components } from "../api/checkin_service";
import { checkin, events } from "../client";
import { h, show } from "../dom";
import { when } from "../format";
import { problemOf } from "../problems";
import type { PageContext } from "../router";

type AttendeePage = components["schemas"]["AttendeePage"];

const PAGE_SIZE = 100;

/** Fetches the CSV with the token (a plain link would carry none) and hands it to the browser as a file. */
async function download(listId: string, button: HTMLButtonElement, message: HTMLElement): Promise<void> {
  button.disabled = true;
  try {
    const { data, error, response } = await checkin.GET("/checkin-lists/{checkin_list_id}/attendees", {
      params: { path: { checkin_list_id: listId }, query: { format: "csv" } },
      parseAs: "blob",
    });
    if (data === undefined) {
      message.textContent = problemOf(response.status, error).message;
      message.hidden = false;
      return;
    }
    message.hidden = true;
    const url = URL.createObjectURL(data as Blob);
    const link = h("a", { href: url, download: `attendees-${listId}.csv`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    // The download has its own copy once started; the URL is released after this turn.
    setTimeout(() => URL.revokeObjectURL(url));
  } finally {
    button.disabled = false;
  }
}

export async function attendeesPage({ main, params, query }: PageContext): Promise<void> {
  const { id: eventId, list: listId } = params;
  const offset = Math.max(0, Number(query.get("offset") ?? 0) || 0);
  const [event, report, page] = await Promise.all([
    events.GET("/events/{event_id}", { params: { path: { event_id: eventId } } }),
    checkin.GET("/checkin-lists/{checkin_list_id}", { params: { path: { checkin_list_id: listId } } }),
    checkin.GET("/checkin-lists/{checkin_list_id}/attendees", {
      params: { path: { checkin_list_id: listId }, query: { limit: PAGE_SIZE, offset } },
    }),
  ]);
  const back = h("p", {}, h("a", { href: `/organize/${eventId}/checkin` }, "← Check-in lists"));
  if (report.data === undefined || page.data === undefined) {
    const status = report.data === undefined ? report.response.status : page.response.status;
    show(main, back, h("h1", {}, "Attendees"), h("p", { class: "alert", role: "alert" }, `The attendees could not be loaded (HTTP ${status}).`));
    return;
  }
  const attendees = page.data as AttendeePage; // JSON: the CSV form of the answer is asked for by `download`
  const types = new Map(report.data.counts.map((count) => [count.ticket_type_id, count.name]));
  const message = h("p", { class: "alert", role: "alert", hidden: true });
  const exportButton = h("button", { type: "button" }, "Export CSV");
  exportButton.addEventListener("click", () => void download(listId, exportButton, message));
  const base = `/organize/${eventId}/checkin/${listId}`;
  show(
    main,
    back,
    h("h1", {}, `Attendees: ${report.data.name}`),
    h("p", {}, exportButton, " ", h("a", { href: `/door/${listId}`, class: "button secondary" }, "Door page"), message),
    h(
      "table",
      { class: "list" },
      h("caption", {}, `${attendees.total} tickets`),
      h("thead", {}, h("tr", {}, ["Name", "Type", "Ticket", "Checked in", "Inside"].map((name) => h("th", { scope: "col" }, name)))),
      h(
        "tbody",
        {},
        attendees.items.map((row) =>
          h(
            "tr",
            { "data-ticket": row.ticket_id },
            h("th", { scope: "row" }, row.attendee_name || "—"),
            h("td", {}, types.get(row.ticket_type_id) ?? row.ticket_type_id),
            h("td", {}, row.status),
            h("td", { "data-checked-in": row.checked_in_at ? "yes" : "no" }, row.checked_in_at ? when(row.checked_in_at, event.data?.timezone) : "not yet", row.double_entry ? " (double entry)" : ""),
            h("td", {}, row.inside ? "yes" : "no"),
          ),
        ),
      ),
    ),
    h(
      "nav",
      { class: "pager", "aria-label": "Pages" },
      offset > 0 ? h("a", { href: `${base}?offset=${Math.max(0, offset - PAGE_SIZE)}`, class: "button" }, "Previous page") : null,
      offset + PAGE_SIZE < attendees.total ? h("a", { href: `${base}?offset=${offset + PAGE_SIZE}`, class: "button" }, "Next page") : null,
    ),
  );
}
