// The app's frame: picks the page for the URL. Each page loads what it needs and sends the
// browser to sign-in on a 401.
import { useRoute } from "./navigation";
import { SetupPage } from "./pages/SetupPage";
import { LoginPage } from "./pages/LoginPage";
import { WorkflowsPage } from "./pages/WorkflowsPage";
import { BuilderPage } from "./pages/BuilderPage";
import { NotFoundPage } from "./pages/NotFoundPage";

export function App() {
  const route = useRoute();
  switch (route.name) {
    case "setup":
      return <SetupPage />;
    case "login":
      return <LoginPage next={route.next} />;
    case "workflows":
      return <WorkflowsPage />;
    case "builder":
      return <BuilderPage key={route.id} id={route.id} />;
    case "newWorkflow":
      return <BuilderPage key="new" id={null} />;
    case "notFound":
      return <NotFoundPage path={route.path} />;
  }
}
