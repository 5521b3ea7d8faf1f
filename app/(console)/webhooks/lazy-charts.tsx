"use client";
import dynamic from "next/dynamic";
import { useEffect, useRef, useState, type ComponentProps, type RefObject } from "react";

// recharts (about 110 kB gzip) loads only where a chart draws (decision 0055), and here only once its frame has been
// on screen and the browser is idle: parsing it right after hydration blocked the main thread when nobody had yet
// scrolled to the chart (the frame sits below the page's first screen on a phone).
const Bars = dynamic(() => import("./health-chart").then((chart) => chart.EventsPerHourChart), { ssr: false });

/** True once `frame` has been in (or near) the viewport and the browser then had an idle moment. */
function useSeenThenIdle(frame: RefObject<HTMLElement | null>): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const element = frame.current;
    if (!element || ready) return;
    let idle: number | undefined;
    let timer: number | undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        // Safari has no requestIdleCallback: a short timeout there.
        if (typeof window.requestIdleCallback === "function") {
          idle = window.requestIdleCallback(() => setReady(true), { timeout: 2_000 });
        } else {
          timer = window.setTimeout(() => setReady(true), 200);
        }
      },
      { rootMargin: "200px 0px" },
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      if (idle !== undefined) window.cancelIdleCallback(idle);
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [frame, ready]);
  return ready;
}

/**
 * Events per hour by type: the labelled frame (its height reserved, so nothing moves when the bars arrive) now, the
 * bars once it has been seen; no recharts without events.
 */
export function EventsPerHourChart(props: ComponentProps<typeof Bars>) {
  const frame = useRef<HTMLDivElement>(null);
  const draw = useSeenThenIdle(frame);
  if (props.types.length === 0) {
    return <p className="py-8 text-center text-sm text-muted-foreground">No events in this period.</p>;
  }
  return (
    <div ref={frame} className="h-56 w-full" role="img" aria-label="Webhook events per hour by event type">
      {draw && <Bars {...props} />}
    </div>
  );
}
