import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { toast } from "sonner";
import { Select } from "@/components/ui/input";
import { TableCell } from "@/components/ui/table";
import { ActionMessage } from "./action-message";
import { HiddenFields } from "./hidden-fields";
import { callServerAction, type FormAction } from "./use-server-action";

vi.mock("sonner", () => ({ toast: { error: vi.fn(), success: vi.fn(), info: vi.fn() } }));

describe("callServerAction", () => {
  beforeEach(() => vi.mocked(toast.error).mockClear());

  it("completes the form before the action, then runs onSuccess before the refresh and onSettled last", async () => {
    const calls: string[] = [];
    const action: FormAction<{ name: string }> = async (_previous, form) => {
      calls.push(`action link=${form.get("link")}`);
      return { ok: true, data: { name: "Roaming" } };
    };
    const result = await callServerAction(
      action,
      null,
      new FormData(),
      {
        prepare: (form) => form.set("link", "https://console.example/travelers/u1"),
        onSuccess: async ({ name }) => {
          await Promise.resolve();
          calls.push(`success ${name}`);
        },
        refresh: true,
        onSettled: () => calls.push("settled"),
      },
      () => calls.push("refresh"),
    );
    expect(result).toEqual({ ok: true, data: { name: "Roaming" } });
    expect(calls).toEqual([
      "action link=https://console.example/travelers/u1",
      "success Roaming",
      "refresh",
      "settled",
    ]);
  });

  it("on a refusal neither succeeds nor refreshes, toasts only when asked, and still settles", async () => {
    const refused: FormAction<null> = async () => ({ ok: false, message: "Your role does not allow this action." });
    const onSuccess = vi.fn();
    const refresh = vi.fn();
    const onSettled = vi.fn();

    await callServerAction(refused, null, new FormData(), { onSuccess, refresh: true, onSettled }, refresh);
    expect(toast.error).not.toHaveBeenCalled();

    const result = await callServerAction(refused, null, new FormData(), { toastFailure: true, onSettled }, refresh);
    expect(result.ok).toBe(false);
    expect(toast.error).toHaveBeenCalledWith("Your role does not allow this action.");
    expect(onSuccess).not.toHaveBeenCalled();
    expect(refresh).not.toHaveBeenCalled();
    expect(onSettled).toHaveBeenCalledTimes(2);
  });
});

describe("ActionMessage", () => {
  const failure = {
    ok: false as const,
    message: "Please correct the highlighted fields.",
    fieldErrors: { phoneModel: ["Enter the model."] },
  };

  it("shows the first error of the named fields, else the message, as an alert", () => {
    const render = (fields?: string[]) => renderToStaticMarkup(createElement(ActionMessage, { failure, fields }));
    expect(render(["phoneBrand", "phoneModel"])).toMatch(/^<p role="alert"[^>]*>Enter the model\.<\/p>$/);
    expect(render()).toContain(">Please correct the highlighted fields.</p>");
    expect(renderToStaticMarkup(createElement(ActionMessage, { failure: null }))).toBe("");
  });
});

describe("primitives", () => {
  it("HiddenFields sends every value as text and leaves out null and undefined", () => {
    const html = renderToStaticMarkup(
      createElement(HiddenFields, { values: { id: "s1", disabled: false, limit: 5, brand: undefined, os: null } }),
    );
    expect(html).toBe(
      '<input type="hidden" name="id" value="s1"/><input type="hidden" name="disabled" value="false"/>' +
        '<input type="hidden" name="limit" value="5"/>',
    );
  });

  it("Select lists its children first, then its options (a string is its own label)", () => {
    const html = renderToStaticMarkup(
      createElement(
        Select,
        { name: "map.size", defaultValue: "", options: ["plan", { value: 24, label: "24 hours" }] },
        createElement("option", { value: "" }, "— not in the file —"),
      ),
    );
    expect(html).toMatch(
      /<option value="" selected="">— not in the file —<\/option><option value="plan">plan<\/option><option value="24">24 hours<\/option>/,
    );
  });

  it("a styled primitive lets the caller's classes win over its own", () => {
    const html = renderToStaticMarkup(createElement(TableCell, { className: "px-0 text-right", colSpan: 2 }));
    expect(html).toBe('<td colSpan="2" class="py-2 px-0 text-right"></td>');
  });
});
