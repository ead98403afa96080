// A run or step status as a shape and colour (never colour alone), with its word for readers.
const ICONS: Record<string, string> = {
  succeeded: "✓",
  failed: "✗",
  running: "●",
  queued: "…",
  pending: "…",
  skipped: "↷",
  cancelled: "⊘",
  none: "○",
};

export function StatusIcon({ status }: { status: string }) {
  return (
    <span className={`status-icon status-${status}`} role="img" aria-label={status}>
      {ICONS[status] ?? "?"}
    </span>
  );
}
