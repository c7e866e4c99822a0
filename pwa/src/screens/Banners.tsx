// The notices under the header: session ended, update required, device storage full, a new
// version installed. Each says what happened to the user's unsynced changes: they are kept.
import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import { useWorkspace } from "../app/AppProvider";
import { useUpdateReady } from "../app/updates";
import { useSyncStatus } from "../hooks/useSyncStatus";
import { Banner } from "../ui/Banner";
import { Button } from "../ui/Button";

function useStorageProblem() {
  const { store } = useWorkspace();
  const [problem, setProblem] = useState(store.storageProblem);
  useEffect(() => {
    setProblem(store.storageProblem);
    return store.subscribe((topics) => {
      if (topics.has("storage")) setProblem(store.storageProblem);
    });
  }, [store]);
  return problem;
}

export function Banners() {
  const status = useSyncStatus();
  const storage = useStorageProblem();
  const updateReady = useUpdateReady();
  const navigate = useNavigate();
  return (
    <>
      {storage && (
        <Banner tone="red" urgent testId="storage-banner">
          <strong>This device is out of storage space.</strong> Changes already saved here ({status.pending} waiting to
          sync) are safe; new changes cannot be saved until some space is freed — sync, then remove other sites' data or
          apps.
        </Banner>
      )}
      {status.phase === "auth-required" && (
        <Banner
          testId="auth-banner"
          action={
            <Button variant="secondary" onClick={() => navigate("/login?resume")}>
              Sign in again
            </Button>
          }
        >
          Your session has ended. Keep working: your changes stay on this device — sign in again to sync them.
        </Banner>
      )}
      {status.phase === "update-required" && (
        <Banner
          tone="red"
          action={
            <Button variant="secondary" onClick={() => location.reload()}>
              Reload
            </Button>
          }
        >
          This version of the app can no longer sync. Your changes are kept; reload to update.
        </Banner>
      )}
      {updateReady && (
        <Banner
          tone="blue"
          testId="update-banner"
          action={
            <Button variant="secondary" onClick={() => location.reload()}>
              Reload
            </Button>
          }
        >
          A new version of the app is ready. Reload to use it — unsynced changes are kept.
        </Banner>
      )}
    </>
  );
}
