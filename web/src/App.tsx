// The app's frame: picks the page for the URL. Each page loads what it needs and sends the
// browser to sign-in on a 401.
import { useEffect, useState } from "react";
import { useRoute } from "./navigation";
import { ORG_EVENT } from "./components/OrgSwitcher";
import { RunsPage } from "./pages/runs/RunsPage";
import { RunPage } from "./pages/runs/RunPage";
import { CredentialsPage } from "./pages/credentials/CredentialsPage";
import { TokensPage } from "./pages/settings/TokensPage";
import { MembersPage } from "./pages/settings/MembersPage";
import { SetupPage } from "./pages/SetupPage";
import { LoginPage } from "./pages/LoginPage";
import { WorkflowsPage } from "./pages/WorkflowsPage";
import { BuilderPage } from "./pages/BuilderPage";
import { NotFoundPage } from "./pages/NotFoundPage";

export function App() {
  // Switching the organization remounts the page, so it loads the new org's data.
  const [org, setOrg] = useState(0);
  useEffect(() => {
    const bump = () => setOrg((n) => n + 1);
    window.addEventListener(ORG_EVENT, bump);
    return () => window.removeEventListener(ORG_EVENT, bump);
  }, []);
  return <Page key={org} />;
}

function Page() {
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
    case "runs":
      return <RunsPage search={route.search} />;
    case "run":
      return <RunPage key={route.id} id={route.id} />;
    case "credentials":
      return <CredentialsPage />;
    case "tokens":
      return <TokensPage />;
    case "members":
      return <MembersPage />;
    case "notFound":
      return <NotFoundPage path={route.path} />;
  }
}
