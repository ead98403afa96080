// Tidy up on demand: dagre's left-to-right layered layout of the graph's nodes and edges.
// Returns positions only; the caller writes them back as one undoable edit.
import dagre from "@dagrejs/dagre";
import { TRIGGER_NODE_ID, graphToWorkflow, workflowToGraph, type Graph } from "./graph";
import type { Position, WorkflowDocument } from "./types";

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 64;

export function autoLayout(graph: Pick<Graph, "nodes" | "edges">): Map<string, Position> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 60, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of graph.edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out = new Map<string, Position>();
  for (const n of graph.nodes) {
    const laid = g.node(n.id) as { x: number; y: number } | undefined;
    // dagre gives centres; the canvas places nodes by their top-left corner.
    if (laid) out.set(n.id, { x: Math.round(laid.x - NODE_WIDTH / 2), y: Math.round(laid.y - NODE_HEIGHT / 2) });
  }
  return out;
}

// "Tidy up": every step at its laid-out position, the whole layout moved so the trigger stays
// where it is drawn (its position lives outside the document, so the edit is the steps' alone).
// Returns `doc` itself when nothing moves.
export function tidyUp(doc: WorkflowDocument, triggerPosition?: Position): WorkflowDocument {
  if (doc.steps.length === 0) return doc;
  const graph = workflowToGraph(doc, triggerPosition);
  const laid = autoLayout(graph);
  const trigger = graph.nodes.find((n) => n.id === TRIGGER_NODE_ID)!;
  const t = laid.get(TRIGGER_NODE_ID);
  const dx = t ? trigger.position.x - t.x : 0;
  const dy = t ? trigger.position.y - t.y : 0;
  const nodes = graph.nodes
    .filter((n) => n.id !== TRIGGER_NODE_ID)
    .map((n) => {
      const p = laid.get(n.id);
      return p ? { id: n.id, position: { x: Math.round(p.x + dx), y: Math.round(p.y + dy) }, placed: false } : n;
    });
  return graphToWorkflow(doc, nodes).workflow;
}
