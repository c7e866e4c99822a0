// Log an interaction in three taps: "Log" -> the type (call, visit…) -> "Save". The form comes
// prefilled (now, a summary naming the type and the lead or client) and can be edited first.
import { useEffect, useRef, useState } from "react";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { RecordForm } from "../../records/RecordForm";
import { Button } from "../../ui/Button";
import { Dialog } from "../../ui/Dialog";
import { type Parent, parentFields } from "./RelatedSection";

const FIELDS = ["type", "contact_date", "summary", "outcome", "follow_up"] as const;

export function LogInteraction({ parent, now = () => new Date() }: { parent: Parent; now?: () => Date }) {
  const config = useCRMConfig();
  const [open, setOpen] = useState(false);
  const [defaults, setDefaults] = useState<{ type: string; contact_date: string; summary: string } | null>(null);
  const type = defaults?.type ?? null;
  const formBox = useRef<HTMLDivElement>(null);
  const close = () => {
    setOpen(false);
    setDefaults(null);
  };
  const choose = (value: string) =>
    setDefaults({
      type: value,
      contact_date: now().toISOString(),
      summary: `${config.label("interaction_type", value)} – ${parent.name}`,
    });
  // Step two: the prefilled form, with Save focused so it is the next tap (or Enter).
  useEffect(() => {
    if (type) formBox.current?.querySelector<HTMLButtonElement>("button[type=submit]")?.focus();
  }, [type]);

  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="log-interaction">
        Log
      </Button>
      <Dialog
        open={open}
        onClose={close}
        title={type ? `Log a ${config.label("interaction_type", type).toLowerCase()}` : "Log an interaction"}
        description={`With ${parent.name}`}
      >
        {!defaults ? (
          <fieldset className="grid grid-cols-2 gap-2 sm:grid-cols-3">
            <legend className="sr-only">Interaction type</legend>
            {config.options("interaction_type").map((o) => (
              <button
                key={o.value}
                type="button"
                onClick={() => choose(o.value)}
                className="rounded-xl bg-slate-50 px-3 py-5 text-sm font-medium ring-1 ring-slate-200 hover:bg-brand-50 hover:ring-brand-600 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
              >
                {o.label}
              </button>
            ))}
          </fieldset>
        ) : (
          <div ref={formBox}>
            <RecordForm
              entity="interaction"
              fields={FIELDS}
              defaults={defaults}
              fixed={parentFields("interaction", parent)}
              label="Log an interaction"
              submitLabel="Save"
              onSaved={close}
              onCancel={() => setDefaults(null)}
            />
          </div>
        )}
      </Dialog>
    </>
  );
}
