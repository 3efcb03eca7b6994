// Anyone: upcoming events, searched and filtered, a page at a time.
import { events } from "../client";
import { field, h, show } from "../dom";
import { money, when } from "../format";
import { navigate, type PageContext } from "../router";

const PAGE_SIZE = 12;

export async function eventsPage({ main, query }: PageContext): Promise<void> {
  const q = query.get("q") ?? "";
  const category = query.get("category") ?? "";
  const from = query.get("from") ?? "";
  const to = query.get("to") ?? "";
  const offset = Math.max(0, Number(query.get("offset") ?? 0) || 0);

  const filters = h(
    "form",
    { class: "filters", role: "search", "aria-label": "Find events", novalidate: true },
    field("Search titles", h("input", { name: "q", type: "search", value: q, maxlength: 200 })),
    field("Category", h("input", { name: "category", value: category, maxlength: 50 })),
    field("From", h("input", { name: "from", type: "date", value: from })),
    field("Until", h("input", { name: "to", type: "date", value: to })),
    h("button", { type: "submit" }, "Search"),
  );
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = new URLSearchParams();
    for (const [name, value] of new FormData(filters)) if (value) values.set(name, String(value));
    navigate(`/?${values}`);
  });

  const list = h("div", { class: "cards", "aria-busy": "true" }, "Loading…");
  show(main, h("h1", {}, "Upcoming events"), filters, list);

  const { data, response } = await events.GET("/events", {
    params: {
      query: {
        q: q || undefined,
        category: category || undefined,
        status: "scheduled",
        // Upcoming: from now, or from the chosen day if later.
        starts_after: from ? new Date(`${from}T00:00:00`).toISOString() : new Date().toISOString(),
        starts_before: to ? new Date(`${to}T23:59:59`).toISOString() : undefined,
        limit: PAGE_SIZE,
        offset,
      },
    },
  });
  list.removeAttribute("aria-busy");
  if (data === undefined) {
    list.replaceChildren(h("p", { class: "alert", role: "alert" }, `Events could not be loaded (HTTP ${response.status}).`));
    return;
  }
  if (data.items.length === 0) {
    list.replaceChildren(h("p", {}, "No upcoming events match."));
    return;
  }
  list.replaceChildren(
    ...data.items.map((event) =>
      h(
        "article",
        { class: "card" },
        h("h2", {}, h("a", { href: `/event/${event.id}` }, event.title)),
        h("p", { class: "muted" }, when(event.starts_at, event.timezone), " · ", event.venue),
        h("p", {}, h("span", { class: "tag" }, event.category), " from ", money(event.price, event.currency)),
      ),
    ),
  );
  const pages = Math.ceil(data.total / PAGE_SIZE);
  const page = Math.floor(offset / PAGE_SIZE) + 1;
  const pageLink = (label: string, target: number) => {
    const values = new URLSearchParams(query);
    values.set("offset", String(target));
    return h("a", { href: `/?${values}`, class: "button" }, label);
  };
  main.append(
    h(
      "nav",
      { class: "pager", "aria-label": "Pages" },
      offset > 0 ? pageLink("Previous page", Math.max(0, offset - PAGE_SIZE)) : null,
      h("span", {}, `Page ${page} of ${pages} (${data.total} events)`),
      offset + PAGE_SIZE < data.total ? pageLink("Next page", offset + PAGE_SIZE) : null,
    ),
  );
}
