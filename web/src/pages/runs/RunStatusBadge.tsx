// A run's status as icon and word (never colour alone).
import { StatusIcon } from "../../builder/run/StatusIcon";

export function RunStatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`run-status status-${status}`} data-testid={testId} data-status={status}>
      <StatusIcon status={status} /> {status}
    </span>
  );
}
