// Short-lived messages in a polite live region: screen readers announce them, nobody has to close them.
import { h } from "./dom";

const TOAST_SECONDS = 8;

/** Shows a toast with `title` and `body` for a few seconds (or until dismissed). */
export function toast(title: string, body = "", kind: "info" | "error" = "info"): void {
  const container = document.getElementById("toasts");
  if (container === null) return;
  const item = h(
    "div",
    { class: `toast toast-${kind}` },
    h("strong", {}, title),
    body ? h("p", {}, body) : null,
    h("button", { type: "button", class: "link", "aria-label": `Dismiss: ${title}`, onclick: () => item.remove() }, "×"),
  );
  container.append(item);
  setTimeout(() => item.remove(), TOAST_SECONDS * 1000);
}
