// "Download CSV" / "Download XLSX": the same report and filters from the server as a file
// (api.download carries the session's token, which a plain link cannot).
import { useState } from "react";
import { type Download, saveDownload } from "../../api/http";
import { useApp } from "../../app/AppProvider";
import { Button } from "../../ui/Button";
import { errorText } from "../admin/shared/messages";
import type { ExportFormat } from "./query";

export function Downloads({
  path,
  fallbackName,
  offline,
}: {
  /** the API path of the report's file for a format */
  path(format: ExportFormat): string;
  fallbackName(format: ExportFormat): string;
  offline: boolean;
}) {
  const { api } = useApp();
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);

  const download = async (format: ExportFormat) => {
    setBusy(format);
    setError(null);
    try {
      const file: Download = await api.download(path(format), fallbackName(format));
      saveDownload(file);
    } catch (err) {
      setError(`The download failed: ${errorText(err)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="flex flex-wrap items-center gap-2">
      {(["csv", "xlsx"] as const).map((format) => (
        <Button
          key={format}
          variant="secondary"
          disabled={offline || busy !== null}
          title={offline ? "Downloads need a connection" : undefined}
          onClick={() => void download(format)}
        >
          {busy === format ? "Preparing…" : `Download ${format.toUpperCase()}`}
        </Button>
      ))}
      {error && (
        <p role="alert" className="basis-full text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
