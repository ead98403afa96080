// The canvas: the graph of lib/graph.ts drawn with @xyflow/react. Drags, connections and
// deletions become workflow edits (one undo entry each); the document stays the only truth.
import { useCallback, useEffect, useMemo, useState } from "react";
import {
  Background,
  Controls,
  MiniMap,
  SelectionMode,
  ReactFlow,
  applyNodeChanges,
  type Connection,
  type Edge,
  type Node,
  type NodeChange,
  type OnDelete,
} from "@xyflow/react";
import { stepChrome, type CatalogIndex } from "../lib/catalog";
import { connect, disconnect, removeSteps } from "../lib/edits";
import type { ProblemMap } from "../lib/errors";
import { TRIGGER_NODE_ID, graphToWorkflow, workflowToGraph } from "../lib/graph";
import type { Position, WorkflowDocument } from "../lib/types";
import { nodeStatus, type RunView } from "../lib/runs";
import { StepNode } from "./StepNode";
import { TriggerNode } from "./TriggerNode";
import { FIT_VIEW, FitOnGrow } from "./FitOnGrow";

const nodeTypes = { step: StepNode, trigger: TriggerNode };
const DELETE_KEYS = ["Delete", "Backspace"];

interface Props {
  doc: WorkflowDocument;
  index: CatalogIndex;
  problems: ProblemMap | null;
  selected: string | null;
  // Steps selected together (box select, Ctrl/Cmd+click, a paste); `selected` is the one inspected.
  selection: readonly string[];
  runView: RunView | null;
  triggerPosition: Position | undefined;
  onSelect: (id: string | null) => void;
  onSelectionChange: (ids: string[]) => void;
  onEdit: (doc: WorkflowDocument) => void;
  onTriggerMoved: (p: Position) => void;
}

export function Canvas({ doc, index, problems, selected, selection, runView, triggerPosition, onSelect, onSelectionChange, onEdit, onTriggerMoved }: Props) {
  const graph = useMemo(() => workflowToGraph(doc, triggerPosition), [doc, triggerPosition]);
  const placed = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n.placed])), [graph]);
  const base = useMemo<Node[]>(
    () =>
      graph.nodes.map((n) => ({
        id: n.id,
        type: n.type,
        position: n.position,
        selected: n.id === selected || selection.includes(n.id),
        deletable: n.type === "step",
        data:
          n.type === "trigger"
            ? { triggerType: doc.trigger?.type ?? "manual", problems: problems?.byNode.get(n.id) ?? [] }
            : {
                stepId: n.id,
                chrome: stepChrome(index, doc.steps.find((s) => s.id === n.id)!.action),
                problems: problems?.byNode.get(n.id) ?? [],
                status: nodeStatus(runView, n.id),
              },
      })),
    [graph, doc, index, problems, selected, selection, runView],
  );
  const [nodes, setNodes] = useState<Node[]>(base);
  // A new `base` (another run status, a problem, a selection) keeps what xyflow measured of each
  // node: a copy without `measured` is drawn hidden until xyflow measures it again, and after a
  // remount that can fail to happen (nodes stayed invisible after a first test run).
  useEffect(
    () =>
      setNodes((previous) => {
        const measured = new Map(previous.map((n) => [n.id, n]));
        return base.map((n) => {
          const old = measured.get(n.id);
          return old?.measured ? { ...n, measured: old.measured, width: old.width, height: old.height } : n;
        });
      }),
    [base],
  );

  const edges = useMemo<Edge[]>(
    () =>
      graph.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        // Only an `after` edge can be cut here; a template reference lives in a field's text.
        deletable: e.kinds.includes("after"),
        className: e.kinds.includes("after") ? "edge-after" : e.kinds.includes("ref") ? "edge-ref" : "edge-trigger",
      })),
    [graph],
  );

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    setNodes((ns) => applyNodeChanges(changes.filter((c) => c.type !== "remove"), ns));
  }, []);

  const onNodeDragStop = useCallback(
    (_: unknown, _node: Node, moved: Node[]) => {
      const movedIds = new Set(moved.map((m) => m.id));
      const t = moved.find((m) => m.id === TRIGGER_NODE_ID);
      if (t) onTriggerMoved({ x: Math.round(t.position.x), y: Math.round(t.position.y) });
      const list = nodes.map((n) => {
        const m = moved.find((x) => x.id === n.id);
        return m
          ? { id: n.id, position: { x: Math.round(m.position.x), y: Math.round(m.position.y) }, placed: false }
          : { id: n.id, position: n.position, placed: placed.get(n.id) ?? true };
      });
      if (movedIds.size === 0) return;
      const { workflow } = graphToWorkflow(doc, list);
      if (workflow !== doc) onEdit(workflow);
    },
    [nodes, placed, doc, onEdit, onTriggerMoved],
  );

  const onConnect = useCallback((c: Connection) => onEdit(connect(doc, c.source, c.target)), [doc, onEdit]);

  const onDelete: OnDelete = useCallback(
    ({ nodes: gone, edges: cut }) => {
      const ids = gone.map((n) => n.id).filter((id) => id !== TRIGGER_NODE_ID);
      let next = removeSteps(doc, ids);
      for (const e of cut) {
        if (ids.includes(e.source) || ids.includes(e.target)) continue;
        next = disconnect(next, e.source, e.target).workflow;
      }
      if (next !== doc) onEdit(next);
      if (selected && ids.includes(selected)) onSelect(null);
    },
    [doc, onEdit, onSelect, selected],
  );

  const onSelection = useCallback(
    ({ nodes: picked }: { nodes: Node[] }) => onSelectionChange(picked.map((n) => n.id).filter((id) => id !== TRIGGER_NODE_ID)),
    [onSelectionChange],
  );

  return (
    <div className="canvas" aria-label="Workflow canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStop={onNodeDragStop}
        onNodeClick={(_, n) => onSelect(n.id)}
        onPaneClick={() => onSelect(null)}
        onConnect={onConnect}
        onDelete={onDelete}
        onSelectionChange={onSelection}
        selectionKeyCode="Shift"
        selectionMode={SelectionMode.Partial}
        deleteKeyCode={DELETE_KEYS}
        onlyRenderVisibleElements
        minZoom={0.1}
      >
        <FitOnGrow count={nodes.length} />
        <Background />
        <MiniMap pannable zoomable ariaLabel="Minimap" />
        <Controls fitViewOptions={FIT_VIEW} />
      </ReactFlow>
    </div>
  );
}
