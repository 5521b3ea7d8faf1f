import type { HubbyEnvironment } from "@/lib/env";
import { Badge } from "@/components/ui/badge";

const variants = { SANDBOX: "info", STAGING: "warning", PRODUCTION: "danger" } as const;
const titles: Record<HubbyEnvironment, string> = {
  SANDBOX: "Connected to the built-in Hubby sandbox: nothing here reaches real travelers.",
  STAGING: "Connected to Hubby staging.",
  PRODUCTION: "Connected to Hubby production: actions affect real travelers and cost money.",
};

export function EnvironmentBadge({ environment }: { environment: HubbyEnvironment }) {
  return (
    <Badge variant={variants[environment]} title={titles[environment]} aria-label={`Environment: ${environment}`}>
      {environment}
    </Badge>
  );
}
