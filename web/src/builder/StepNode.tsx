// A step on the canvas: provider icon, provider name, action title (from the catalog), the step
// id, the last run's status (shape and colour) and a red badge counting its validation errors.
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { ProviderIcon } from "../components/ProviderIcon";
import type { StepNodeData } from "./nodeData";
import { StatusIcon } from "./run/StatusIcon";

export function StepNode({ data, selected }: NodeProps<Node<StepNodeData, "step">>) {
  const { chrome, problems, stepId, status } = data;
  const count = problems.length;
  return (
    <div
      className={`node step-node status-${status}${selected ? " selected" : ""}${count ? " has-errors" : ""}`}
      data-testid={`node-${stepId}`}
      data-status={status}
      aria-label={`Step ${stepId}: ${chrome.providerName} · ${chrome.title}`}>
      <Handle type="target" position={Position.Left} />
      <ProviderIcon icon={chrome.icon} label={chrome.providerName} />
      <div className="node-text">
        <div className="node-provider">{chrome.providerName}</div>
        <div className="node-title">{chrome.title}</div>
        <div className="node-id">{stepId}</div>
      </div>
      {status !== "none" ? <StatusIcon status={status} /> : null}
      {count > 0 ? (
        <span className="error-badge" title={problems.map((p) => (p.field ? `${p.field}: ` : "") + p.message).join("\n")} aria-label={`${count} error${count > 1 ? "s" : ""}`}>
          ! {count}
        </span>
      ) : null}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}
