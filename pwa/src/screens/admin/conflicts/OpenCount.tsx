// The Conflicts card's live figure on the Admin home: how many conflicts wait for a decision
// (one counted request; nothing while offline).
import { useApp } from "../../../app/AppProvider";
import { useServerData } from "../shared/useServerData";
import { openCount } from "./api";

export default function OpenCount() {
  const { api } = useApp();
  const count = useServerData(() => openCount(api), []);
  if (!count.online || count.data === undefined) return null;
  return (
    <span
      className={`mt-2 inline-block rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${count.data ? "bg-amber-50 text-amber-800 ring-amber-200" : "bg-green-50 text-green-700 ring-green-200"}`}
      data-testid="open-conflicts-count"
    >
      {count.data ? `${count.data} open` : "None open"}
    </span>
  );
}
