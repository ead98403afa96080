// Keeps every node in view when the canvas opens and whenever a step is added or removed:
// fits the view at most at 100 % (xyflow's own initial fit magnifies a small workflow to
// 200 %, and onlyRenderVisibleElements then leaves off-screen nodes out of the page). Panning
// and zooming between edits stay the user's.
import { useEffect } from "react";
import { useNodesInitialized, useReactFlow } from "@xyflow/react";

// Also the Controls' "fit view" button's options, so it never zooms past 100 % either.
export const FIT_VIEW = { maxZoom: 1, padding: 0.15 };

export function FitOnGrow({ count }: { count: number }) {
  const { fitView } = useReactFlow();
  const ready = useNodesInitialized();
  useEffect(() => {
    if (ready) void fitView(FIT_VIEW);
  }, [count, ready, fitView]);
  return null;
}
