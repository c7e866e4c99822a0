// One server action at a time from a dialog or bar: `busy` while it runs, its failure in the
// shared wording (`errorText`), cleared when it runs again.
import { useState } from "react";
import { errorText } from "./messages";

export interface Submit {
  busy: boolean;
  error: string | null;
  setError(message: string | null): void;
  run(action: () => Promise<void>): Promise<void>;
}

export function useSubmit(): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
