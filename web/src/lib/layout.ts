// Tidy up on demand: dagre's left-to-right layered layout of the graph's nodes and edges.
// Returns positions only; the caller writes them back as one undoable edit.
import dagre from "@dagrejs/dagre";
import type { Graph } from "./graph";
import type { Position } from "./types";

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
