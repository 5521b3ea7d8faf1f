import { isValidElement, type ReactNode } from "react";

/**
 * The text of a server component's element tree, without rendering the components inside it, except those in
 * `renderInPlace`: server components without hooks (a page's own tabs, say), called with their props.
 */
export function textOf(node: ReactNode, renderInPlace: ReadonlySet<unknown> = new Set()): string {
  if (node === null || node === undefined || typeof node === "boolean") return "";
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map((child: ReactNode) => textOf(child, renderInPlace)).join("");
  if (isValidElement<{ children?: ReactNode }>(node)) {
    if (renderInPlace.has(node.type)) {
      return textOf((node.type as (props: unknown) => ReactNode)(node.props), renderInPlace);
    }
    return textOf(node.props.children, renderInPlace);
  }
  return "";
}

/**
 * textOf for a tree that streams: components in `renderInPlace` may be async (a page's Suspense parts) and are
 * awaited; a Suspense boundary gives its content, not its fallback (what the browser shows once all has streamed).
 */
export async function textOfStreamed(
  node: ReactNode,
  renderInPlace: ReadonlySet<unknown> = new Set(),
): Promise<string> {
  if (node === null || node === undefined || typeof node === "boolean") return "";
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) {
    const parts = await Promise.all(node.map((child: ReactNode) => textOfStreamed(child, renderInPlace)));
    return parts.join("");
  }
  if (isValidElement<{ children?: ReactNode }>(node)) {
    if (renderInPlace.has(node.type)) {
      const rendered = await (node.type as (props: unknown) => ReactNode | Promise<ReactNode>)(node.props);
      return textOfStreamed(rendered, renderInPlace);
    }
    return textOfStreamed(node.props.children, renderInPlace);
  }
  return "";
}
