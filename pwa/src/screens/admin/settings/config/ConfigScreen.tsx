// Tenant configuration (admin): branding, status names, suggestions, money and dates, features.
// Checked with the contract's schema before it is sent; the server's 422 lands on the field it
// names. Once saved, this device syncs at once (the app applies config from sync, so the new
// colour and names show without a reload) and the server pokes every other device.
import { useEffect, useRef, useState } from "react";
import { useApp, useWorkspace } from "../../../../app/AppProvider";
import type { TenantConfig } from "../../../../contracts/zod";
import { Button } from "../../../../ui/Button";
import { LoadStatus, NeedsConnection } from "../../shared/ServerStatus";
import { useServerData } from "../../shared/useServerData";
import { fieldErrors } from "../shared/errors";
import { FormError, SettingsHeader } from "../shared/ui";
import {
  BrandingSection,
  FeaturesSection,
  LabelsSection,
  ListsSection,
  NounsSection,
  RegionSection,
  type SectionProps,
} from "./ConfigSections";
import { loadConfig, saveConfig } from "./configApi";
import { type ConfigForm, checkForm, FORM_FIELDS, isDirty, toForm } from "./configForm";

export function ConfigScreen() {
  const { api } = useApp();
  const { engine } = useWorkspace();
  const saved = useServerData(() => loadConfig(api), [api]);
  const [form, setForm] = useState<ConfigForm | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  // A (re)load (after a save, back online) shows the server's config, unless the form holds
  // edits not saved yet: those stay.
  const base = useRef<TenantConfig | null>(null);
  useEffect(() => {
    const data = saved.data;
    if (!data) return;
    const previous = base.current;
    setForm((f) => (f && previous && isDirty(f, previous) ? f : toForm(data)));
    base.current = data;
  }, [saved.data]);

  const dirty = form !== null && saved.data !== undefined && isDirty(form, saved.data);
  const change = (patch: Partial<ConfigForm>) => {
    setForm((f) => f && { ...f, ...patch });
    setNotice(null);
  };

  const showErrors = (found: Record<string, string>) => {
    setErrors(found);
    const onFields = Object.keys(found).some((k) => k !== "root");
    setNotice(onFields ? "Not saved: see the marked fields." : "Not saved.");
  };

  const save = async () => {
    if (!form) return;
    const checked = checkForm(form);
    if (!checked.ok) {
      showErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const stored: TenantConfig = await saveConfig(api, checked.body);
      saved.update(() => stored);
      engine.request(); // this device: pull the new config now (the server pokes the others)
      setNotice("Saved. This device shows it now; everyone else's devices get it on their next sync.");
    } catch (err) {
      showErrors(fieldErrors(err, FORM_FIELDS));
    } finally {
      setBusy(false);
    }
  };

  const props: SectionProps | null = form && { form, errors, change };
  return (
    <section aria-labelledby="config-title" className="space-y-4 pb-20">
      <SettingsHeader
        id="config-title"
        title="Company configuration"
        intro="How the app looks and speaks for everyone in the company. Changes reach every device by sync, no update needed."
      />
      {form && !saved.online ? (
        <NeedsConnection what="Saving the configuration" />
      ) : (
        <LoadStatus state={saved} what="Company configuration" />
      )}
      {props && (
        <form
          aria-label="Company configuration"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          className="space-y-4"
        >
          <FormError message={errors.root} />
          <BrandingSection {...props} />
          <LabelsSection {...props} />
          <NounsSection {...props} />
          <ListsSection {...props} />
          <RegionSection {...props} />
          <FeaturesSection {...props} />
          <div className="sticky bottom-16 z-[5] flex flex-wrap items-center gap-3 rounded-xl bg-white/95 p-3 shadow ring-1 ring-slate-200 backdrop-blur sm:bottom-2">
            <Button type="submit" disabled={busy || !dirty || !saved.online}>
              {busy ? "Saving…" : "Save configuration"}
            </Button>
            <Button
              variant="secondary"
              disabled={busy || !dirty}
              onClick={() => {
                if (saved.data) setForm(toForm(saved.data));
                setErrors({});
              }}
            >
              Discard changes
            </Button>
            <span aria-live="polite" data-testid="config-notice" className="text-sm text-slate-600">
              {notice ?? (dirty ? "Unsaved changes." : "")}
            </span>
          </div>
        </form>
      )}
    </section>
  );
}
