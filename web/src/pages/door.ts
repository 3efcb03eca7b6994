// Door staff at one check-in list: a ticket code typed, pasted, sent by a scanner gun (which types it and
// presses Enter) or read by the camera where the browser can; the verdict in large type and colour.
import type { components } from "../api/checkin_service";
import { checkin } from "../client";
import { field, h, show } from "../dom";
import { problemOf, showProblem } from "../problems";
import type { Cleanup, PageContext } from "../router";
import { startCamera } from "./camera";

type ScanResult = components["schemas"]["ScanResult"];

const VERDICTS: Record<ScanResult["result"], { title: string; good: boolean }> = {
  ok: { title: "OK: let them in", good: true },
  already_checked_in: { title: "Already checked in", good: false },
  revoked: { title: "Revoked: the booking or the event was cancelled", good: false },
  wrong_event: { title: "Not a ticket of this event", good: false },
  wrong_ticket_type: { title: "Not admitted at this entrance", good: false },
  invalid_signature: { title: "Unknown ticket", good: false },
  not_yet_valid: { title: "Not valid yet", good: false },
  expired: { title: "No longer valid", good: false },
};

export async function doorPage({ main, params }: PageContext): Promise<Cleanup | void> {
  const listId = params.id;
  const { data: list, response } = await checkin.GET("/checkin-lists/{checkin_list_id}", {
    params: { path: { checkin_list_id: listId } },
  });
  if (list === undefined) {
    const why = response.status === 403 ? "You are not door staff of this event." : `HTTP ${response.status}.`;
    show(main, h("h1", {}, "Check-in"), h("p", { class: "alert", role: "alert" }, `This check-in list could not be opened. ${why}`));
    return;
  }

  const typeNames = new Map(list.counts.map((count) => [count.ticket_type_id, count.name]));
  const code = h("input", { name: "secret", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", maxlength: 400 });
  const direction = h(
    "select",
    { name: "type" },
    h("option", { value: "entry" }, "Entry"),
    h("option", { value: "exit" }, "Exit"),
  );
  const form = h(
    "form",
    { novalidate: true, "aria-label": "Check a ticket in" },
    field("Ticket code", code, "Type or paste the code under the QR code, or scan it."),
    field("Direction", direction),
    h("button", { type: "submit" }, "Check in"),
  );
  const verdict = h("section", { class: "verdict", role: "status", "aria-live": "assertive", "aria-label": "Verdict", hidden: true });
  // A retry of a scan whose answer was lost keeps its nonce: the service then records it once.
  let pending: { secret: string; type: string; nonce: string } | null = null;

  async function scan(secret: string): Promise<void> {
    const type = direction.value as "entry" | "exit";
    if (pending === null || pending.secret !== secret || pending.type !== type) {
      pending = { secret, type, nonce: `web-${crypto.randomUUID()}` };
    }
    let answer;
    try {
      answer = await checkin.POST("/checkin-lists/{checkin_list_id}/scans", {
        params: { path: { checkin_list_id: listId } },
        body: { secret, type, nonce: pending.nonce },
      });
    } catch {
      showProblem(form, { message: "No network: the scan was not sent. Check it in again.", fields: {} });
      return;
    }
    const { data, error } = answer;
    if (data === undefined || !("result" in data)) {
      showProblem(form, problemOf(answer.response.status, error));
      return;
    }
    pending = null;
    showProblem(form, null);
    showVerdict(data);
    code.value = "";
    code.focus();
  }

  function showVerdict(result: ScanResult): void {
    const { title, good } = VERDICTS[result.result] ?? { title: result.result, good: false };
    const since = result.result === "already_checked_in" && result.checked_in_at
      ? `First in at ${new Date(result.checked_in_at).toLocaleTimeString()}.`
      : null;
    verdict.className = `verdict ${good ? "verdict-ok" : "verdict-refused"}`;
    verdict.dataset.result = result.result;
    verdict.replaceChildren(
      h("p", { class: "verdict-title" }, title),
      h("p", {}, result.ticket ? `${result.ticket.attendee_name || "Name to be given"} · ${typeNames.get(result.ticket.ticket_type_id) ?? "Ticket"}` : ""),
      h("p", {}, since ?? ""),
    );
    verdict.hidden = false;
  }

  form.addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    const secret = code.value.replace(/\s+/g, "");
    if (secret === "") {
      showProblem(form, { message: "Some fields need a change.", fields: { secret: "Enter the ticket's code." } });
      return;
    }
    void scan(secret);
  });

  const camera = startCamera((text) => {
    code.value = text;
    void scan(text.replace(/\s+/g, ""));
  });

  show(
    main,
    h("h1", {}, `Check-in: ${list.name}`),
    form,
    camera.element,
    verdict,
  );
  code.focus();
  return camera.stop;
}
