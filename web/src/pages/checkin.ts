// An organizer's check-in set-up for one event: its lists (each with its door page and attendee list)
// and the door staff who may scan at them.
import { checkin, events } from "../client";
import { field, h, show } from "../dom";
import { problemOf, showProblem } from "../problems";
import type { PageContext } from "../router";

export async function checkinPage(context: PageContext): Promise<void> {
  const { main, params } = context;
  const eventId = params.id;
  const [{ data: event }, lists, staff] = await Promise.all([
    events.GET("/events/{event_id}", { params: { path: { event_id: eventId } } }),
    checkin.GET("/events/{event_id}/checkin-lists", { params: { path: { event_id: eventId }, query: { limit: 100 } } }),
    checkin.GET("/events/{event_id}/door-staff", { params: { path: { event_id: eventId }, query: { limit: 200 } } }),
  ]);
  const title = event?.title ?? "Event";
  const back = h("p", {}, h("a", { href: `/organize/${eventId}` }, `← ${title}`));
  if (lists.data === undefined) {
    // The check-in service hears of an event a moment after it is published.
    const why = lists.response.status === 404 ? "The check-in service has not heard of this event yet; reload in a moment." : problemOf(lists.response.status, lists.error).message;
    show(main, back, h("h1", {}, `Check-in: ${title}`), h("p", { class: "alert", role: "alert" }, why));
    return;
  }
  const reload = () => checkinPage(context);

  const listForm = h(
    "form",
    { novalidate: true, "aria-labelledby": "add-list-heading" },
    h("h3", { id: "add-list-heading" }, "Add a check-in list"),
    field("Name", h("input", { name: "name", maxlength: 100, value: lists.data.total === 0 ? "Main entrance" : "" })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "allow_reentry", value: "true" }), "Admit again after an exit scan"),
    h("button", { type: "submit" }, "Add list"),
  );
  listForm.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    const values = new FormData(listForm);
    const { error, response } = await checkin.POST("/events/{event_id}/checkin-lists", {
      params: { path: { event_id: eventId } },
      body: { name: String(values.get("name") ?? "").trim(), allow_reentry: values.get("allow_reentry") === "true" },
    });
    if (!response.ok) return showProblem(listForm, problemOf(response.status, error));
    await reload();
  });

  const staffForm = h(
    "form",
    { novalidate: true, "aria-labelledby": "add-staff-heading" },
    h("h3", { id: "add-staff-heading" }, "Let someone scan"),
    field("User id", h("input", { name: "user_id", maxlength: 64, autocomplete: "off" }), "They find it under Account."),
    h("button", { type: "submit" }, "Add door staff"),
  );
  staffForm.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    const userId = String(new FormData(staffForm).get("user_id") ?? "").trim();
    const { error, response } = await checkin.POST("/events/{event_id}/door-staff", {
      params: { path: { event_id: eventId } },
      body: { user_id: userId },
    });
    if (!response.ok) return showProblem(staffForm, problemOf(response.status, error));
    await reload();
  });

  show(
    main,
    back,
    h("h1", {}, `Check-in: ${title}`),
    h(
      "section",
      { "aria-labelledby": "lists-heading" },
      h("h2", { id: "lists-heading" }, "Check-in lists"),
      lists.data.items.length === 0
        ? h("p", { class: "muted" }, "None yet: add one for each entrance.")
        : h(
            "ul",
            { class: "plain" },
            lists.data.items.map((list) =>
              h(
                "li",
                { "data-checkin-list": list.id },
                h("strong", {}, list.name),
                " · ",
                h("a", { href: `/door/${list.id}` }, `Door page of ${list.name}`),
                " · ",
                h("a", { href: `/organize/${eventId}/checkin/${list.id}` }, `Attendees of ${list.name}`),
              ),
            ),
          ),
      listForm,
    ),
    h(
      "section",
      { "aria-labelledby": "staff-heading" },
      h("h2", { id: "staff-heading" }, "Door staff"),
      (staff.data?.items ?? []).length === 0
        ? h("p", { class: "muted" }, "Only you so far. Door staff scan at this event's lists, and nothing else.")
        : h("ul", { class: "plain" }, (staff.data?.items ?? []).map((one) => h("li", {}, h("code", {}, one.user_id)))),
      staffForm,
    ),
  );
}
