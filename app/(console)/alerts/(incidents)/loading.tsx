import { PageSkeleton } from "@/components/page-skeleton";

// In a route group of its own: a loading boundary in alerts/ would wrap /alerts/rules too, and its admin check
// would then answer a streamed 200 instead of 403.
export default PageSkeleton;
