// The notification inbox: history newest first, live ones added on top as they arrive.
import { notifications } from "../client";
import { h, show } from "../dom";
import { type Notification, onNotification, setUnread, unreadCount } from "../live";
import type { Cleanup, PageContext } from "../router";

const PAGE_SIZE = 20;

export async function inboxPage({ main, query }: PageContext): Promise<Cleanup | void> {
  const offset = Math.max(0, Number(query.get("offset") ?? 0) || 0);
  const { data, response } = await notifications.GET("/notifications", { params: { query: { limit: PAGE_SIZE, offset } } });
  if (data === undefined) {
    show(main, h("h1", {}, "Inbox"), h("p", { class: "alert", role: "alert" }, `The inbox could not be loaded (HTTP ${response.status}).`));
    return;
  }
  setUnread(data.unread);
  const list = h("ol", { class: "inbox", "aria-label": "Notifications" });
  const shown = new Set<string>();

  function item(notification: Notification): HTMLElement {
    shown.add(notification.id);
    const entry = h(
      "li",
      { class: notification.read ? "read" : "unread", "data-notification": notification.id, "data-type": notification.type },
      h("strong", {}, notification.title),
      h("p", {}, notification.body),
      h("time", { datetime: notification.created_at, class: "muted" }, new Date(notification.created_at).toLocaleString()),
    );
    if (!notification.read) {
      const button = h("button", { type: "button", class: "link", "aria-label": `Mark read: ${notification.title}` }, "Mark read");
      button.addEventListener("click", async () => {
        const { data: marked } = await notifications.POST("/notifications/{notification_id}/read", {
          params: { path: { notification_id: notification.id } },
        });
        if (marked === undefined) return;
        entry.className = "read";
        button.remove();
        setUnread(unreadCount() - 1);
      });
      entry.append(button);
    }
    return entry;
  }

  list.append(...data.items.map(item));
  const markAll = h("button", { type: "button" }, "Mark all read");
  markAll.addEventListener("click", async () => {
    const { data: result } = await notifications.POST("/notifications/read-all");
    if (result === undefined) return;
    setUnread(0);
    for (const entry of list.querySelectorAll("li.unread")) {
      entry.className = "read";
      entry.querySelector("button")?.remove();
    }
  });
  show(
    main,
    h("h1", {}, "Inbox"),
    h("p", {}, markAll),
    data.items.length === 0 ? h("p", { class: "muted", "data-empty": "" }, "Nothing yet.") : null,
    list,
    h(
      "nav",
      { class: "pager", "aria-label": "Pages" },
      offset > 0 ? h("a", { href: `/my/inbox?offset=${Math.max(0, offset - PAGE_SIZE)}`, class: "button" }, "Newer") : null,
      offset + PAGE_SIZE < data.total ? h("a", { href: `/my/inbox?offset=${offset + PAGE_SIZE}`, class: "button" }, "Older") : null,
    ),
  );
  // Live ones go on top of the first page; one already listed (read with the history) is not repeated.
  return onNotification((notification) => {
    if (offset !== 0 || shown.has(notification.id)) return;
    main.querySelector("[data-empty]")?.remove();
    list.prepend(item(notification));
  });
}
