// A webhook's signing secret, shown the one time the API answers it (on creation and on rotation).
import { field, h } from "../dom";

/** Copies `text`: with the Clipboard API where the page may use it, else from the selected field. */
async function copy(text: string, input: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    input.select();
    return document.execCommand("copy");
  }
}

/** A panel with the secret, a Copy button and the notice that it will not be shown again. */
export function secretPanel(secret: string, heading: string): HTMLElement {
  const input = h("input", { name: "secret", value: secret, readonly: true, spellcheck: "false", class: "secret" });
  const said = h("p", { class: "muted", role: "status" });
  const button = h("button", { type: "button" }, "Copy secret");
  button.addEventListener("click", async () => {
    said.textContent = (await copy(secret, input)) ? "Copied." : "Copying was refused: select the secret and copy it by hand.";
  });
  return h(
    "section",
    { class: "secret-panel", "aria-labelledby": "secret-heading", tabindex: "-1" },
    h("h2", { id: "secret-heading" }, heading),
    h(
      "p",
      { class: "notice" },
      h("strong", {}, "Shown only once. "),
      "Copy it now into your receiver's Standard Webhooks library: it checks each request's signature with it. " +
        "Lost, it cannot be read again; rotate it for a new one.",
    ),
    field("Signing secret", input),
    h("p", {}, button),
    said,
  );
}
