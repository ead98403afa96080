// The workflow's trigger on the canvas (manual, webhook or schedule).
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import type { TriggerNodeData } from "./nodeData";

const LABELS: Record<string, string> = { manual: "Manual", webhook: "Webhook", schedule: "Schedule" };

export function TriggerNode({ data, selected }: NodeProps<Node<TriggerNodeData, "trigger">>) {
  const count = data.problems.length;
  const label = LABELS[data.triggerType] ?? data.triggerType;
  return (
    <div className={`node trigger-node${selected ? " selected" : ""}${count ? " has-errors" : ""}`} aria-label={`Trigger: ${label}`} data-testid="node-trigger">
      <svg className="provider-icon" aria-hidden="true" width={24} height={24} viewBox="0 0 24 24">
        <path d="M13 2L4 14h7l-1 8 9-12h-7z" fill="currentColor" />
      </svg>
      <div className="node-text">
        <div className="node-provider">Trigger</div>
        <div className="node-title">{label}</div>
      </div>
      {count > 0 ? (
        <span className="error-badge" title={data.problems.map((p) => p.message).join("\n")} aria-label={`${count} error${count > 1 ? "s" : ""}`}>
          ! {count}
        </span>
      ) : null}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}
