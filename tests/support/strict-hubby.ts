import type { BookingsHubby } from "../../lib/bookings/intents";
import { HubbyApiError } from "../../lib/hubby/errors";

/**
 * A Hubby that cannot prove a booking absent, over a real client: GET /bookings answers an empty list without a
 * count (its shape is undocumented), and dashboards do not name bookings (the documented shape). Bookings are real.
 * With `dropEvery: n`, every n-th POST commits at Hubby but its reply is lost.
 */
export function hubbyThatCannotProveAbsence(
  client: BookingsHubby,
  options: { dropEvery?: number } = {},
): BookingsHubby & { posts: () => number } {
  let posts = 0;
  return {
    posts: () => posts,
    createBooking: async (input) => {
      const booking = await client.createBooking(input);
      posts += 1;
      if (options.dropEvery && posts % options.dropEvery === 0) {
        throw new HubbyApiError({
          kind: "network",
          message: "socket hang up",
          endpoint: "POST /bookings",
          requestId: "x",
        });
      }
      return booking;
    },
    listBookings: async () => ({
      bookings: [],
      unreadable: 0,
      page: undefined,
      perPage: undefined,
      total: undefined,
      totalPages: undefined,
    }),
    getUserDashboard: async (externalUserId) => {
      const dashboard = await client.getUserDashboard(externalUserId);
      return {
        ...dashboard,
        package_queues: dashboard.package_queues.map((queue) => ({ ...queue, booking_id: undefined })),
      };
    },
  };
}
