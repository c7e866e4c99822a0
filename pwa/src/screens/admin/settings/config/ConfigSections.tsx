// The parts of the configuration form: branding (with a live preview of the colour), status
// names (relabel only), record names, suggestion lists, money and dates, feature toggles.
import { useState } from "react";
import { CLOSED_LISTS, defaultNoun, ENTITY_NOUN_KEYS, humanize, RELABELLED } from "../../../../config/tenantConfig";
import { useCRMConfig } from "../../../../hooks/useCRMConfig";
import { Field, Input, Select, TextArea } from "../../../../ui/Field";
import { formatDate, formatMoney } from "../../../../ui/format";
import {
  type ConfigForm,
  CURRENCIES,
  contrastWithWhite,
  DATE_FORMATS,
  FEATURE_BLURBS,
  FEATURES,
  LABEL_MAX,
  listTitle,
} from "./configForm";

export interface SectionProps {
  form: ConfigForm;
  errors: Record<string, string>;
  change(patch: Partial<ConfigForm>): void;
}

function Section({
  id,
  title,
  intro,
  children,
}: {
  id: string;
  title: string;
  intro: string;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="space-y-3 rounded-xl bg-white p-4 ring-1 ring-slate-200">
      <div>
        <h2 id={id} className="font-semibold">
          {title}
        </h2>
        <p className="text-sm text-slate-600">{intro}</p>
      </div>
      {children}
    </section>
  );
}

const HEX = /^#[0-9a-f]{6}$/i;

export function BrandingSection({ form, errors, change }: SectionProps) {
  const colour = form.primary_color.trim();
  const valid = HEX.test(colour);
  const contrast = valid ? contrastWithWhite(colour) : null;
  const [logoBroken, setLogoBroken] = useState<string | null>(null);
  const logo = form.logo_url.trim();
  return (
    <Section id="cfg-branding" title="Branding" intro="The app's name, logo and colour, for everyone in the company.">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="branding.name" label="App name" error={errors["branding.name"]} hint="Empty: “PathSix CRM”.">
          <Input
            id="branding.name"
            value={form.name}
            maxLength={100}
            invalid={!!errors["branding.name"]}
            onChange={(e) => change({ name: e.target.value })}
          />
        </Field>
        <Field
          id="branding.logo_url"
          label="Logo URL"
          error={errors["branding.logo_url"]}
          hint="An https:// address of an image."
        >
          <Input
            id="branding.logo_url"
            type="url"
            inputMode="url"
            value={form.logo_url}
            invalid={!!errors["branding.logo_url"]}
            onChange={(e) => change({ logo_url: e.target.value })}
          />
        </Field>
      </div>
      {logo.startsWith("https://") && logoBroken !== logo && (
        <img
          src={logo}
          alt="Logo preview"
          className="h-12 max-w-[12rem] object-contain"
          onError={() => setLogoBroken(logo)}
        />
      )}
      {logoBroken === logo && logo && <p className="text-xs text-amber-800">That address does not load as an image.</p>}
      <Field
        id="branding.primary_color"
        label="Brand colour"
        error={errors["branding.primary_color"]}
        hint="#RRGGBB. Empty: the default teal."
      >
        <div className="flex items-center gap-2">
          <input
            type="color"
            aria-label="Pick the brand colour"
            value={valid ? colour.toLowerCase() : "#0f766e"}
            onChange={(e) => change({ primary_color: e.target.value })}
            className="h-9 w-12 cursor-pointer rounded border border-slate-300 bg-white p-0.5"
          />
          <Input
            id="branding.primary_color"
            value={form.primary_color}
            placeholder="#0f766e"
            maxLength={7}
            invalid={!!errors["branding.primary_color"]}
            onChange={(e) => change({ primary_color: e.target.value })}
            className="max-w-[9rem] font-mono"
          />
        </div>
      </Field>
      <BrandPreview colour={valid ? colour : "#0f766e"} name={form.name.trim() || "PathSix CRM"} />
      {contrast !== null && contrast < 4.5 && (
        <p className="text-xs text-amber-800" data-testid="contrast-warning">
          White text on this colour is hard to read (contrast {contrast.toFixed(1)}:1; 4.5:1 or more reads well).
        </p>
      )}
    </Section>
  );
}

/** The colour as the app will use it: a button, a selected navigation entry, a badge. The
 * app's shades are mixed from the one colour the same way (index.css). */
function BrandPreview({ colour, name }: { colour: string; name: string }) {
  const tint = (pct: number, base: string) => `color-mix(in oklab, ${colour} ${pct}%, ${base})`;
  return (
    <div data-testid="brand-preview" className="rounded-lg border border-slate-200 p-3">
      <p className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">Preview</p>
      <div className="flex flex-wrap items-center gap-3">
        <span className="font-semibold">{name}</span>
        <span
          className="rounded-lg px-2.5 py-1.5 text-sm font-medium"
          style={{ background: tint(7, "white"), color: tint(78, "black") }}
        >
          Today
        </span>
        <span className="rounded-lg px-3.5 py-2 text-sm font-medium text-white" style={{ background: colour }}>
          New lead
        </span>
        <span
          className="rounded-full px-2 py-0.5 text-xs font-medium"
          style={{
            background: tint(7, "white"),
            color: tint(78, "black"),
            boxShadow: `inset 0 0 0 1px ${tint(18, "white")}`,
          }}
        >
          Qualified
        </span>
      </div>
    </div>
  );
}

export function LabelsSection({ form, errors, change }: SectionProps) {
  const config = useCRMConfig();
  return (
    <Section
      id="cfg-labels"
      title="Status names"
      intro="What each status is called on screen. The statuses themselves are fixed: they can be renamed, never added or removed. Leave a name empty for the default."
    >
      <div className="grid gap-4 sm:grid-cols-2">
        {RELABELLED.map((list) => (
          <fieldset key={list} className="space-y-2">
            <legend className="text-sm font-medium text-slate-800">{listTitle(list, (e) => config.noun(e))}</legend>
            {CLOSED_LISTS[list].map((value) => {
              const id = `labels.${list}.${value}`;
              return (
                <div key={value} className="grid grid-cols-[7rem_1fr] items-start gap-2">
                  <label htmlFor={id} className="pt-2 font-mono text-xs text-slate-500">
                    {value}
                  </label>
                  <div>
                    <Input
                      id={id}
                      value={form.labels[list]?.[value] ?? ""}
                      placeholder={humanize(value)}
                      maxLength={LABEL_MAX}
                      invalid={!!errors[id]}
                      onChange={(e) =>
                        change({
                          labels: { ...form.labels, [list]: { ...form.labels[list], [value]: e.target.value } },
                        })
                      }
                    />
                    {errors[id] && (
                      <p id={`${id}-error`} role="alert" className="mt-1 text-xs text-red-700">
                        {errors[id]}
                      </p>
                    )}
                  </div>
                </div>
              );
            })}
          </fieldset>
        ))}
      </div>
    </Section>
  );
}

export function NounsSection({ form, errors, change }: SectionProps) {
  return (
    <Section
      id="cfg-nouns"
      title="Record names"
      intro='What each kind of record is called everywhere in the app (e.g. "Customer" for client). Leave both empty for the default.'
    >
      <div className="grid gap-x-4 gap-y-2 sm:grid-cols-2">
        {ENTITY_NOUN_KEYS.map((entity) => (
          <fieldset key={entity} className="grid grid-cols-2 gap-2">
            <legend className="mb-1 text-sm font-medium text-slate-800">{defaultNoun(entity)}</legend>
            {(["singular", "plural"] as const).map((form_) => {
              const id = `nouns.${entity}.${form_}`;
              return (
                <div key={form_}>
                  <label htmlFor={id} className="sr-only">
                    {`${defaultNoun(entity)}, ${form_}`}
                  </label>
                  <Input
                    id={id}
                    value={form.nouns[entity][form_]}
                    placeholder={defaultNoun(entity, form_ === "plural")}
                    maxLength={LABEL_MAX}
                    invalid={!!errors[id]}
                    onChange={(e) =>
                      change({ nouns: { ...form.nouns, [entity]: { ...form.nouns[entity], [form_]: e.target.value } } })
                    }
                  />
                  {errors[id] && (
                    <p id={`${id}-error`} role="alert" className="mt-1 text-xs text-red-700">
                      {errors[id]}
                    </p>
                  )}
                </div>
              );
            })}
          </fieldset>
        ))}
      </div>
    </Section>
  );
}

export function ListsSection({ form, errors, change }: SectionProps) {
  const config = useCRMConfig();
  return (
    <Section
      id="cfg-lists"
      title="Suggestions"
      intro={`Offered when filling in a ${config.noun("lead").toLowerCase()}; people may still type something else. One per line.`}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="lead_sources" label="Lead sources" error={errors.lead_sources}>
          <TextArea
            id="lead_sources"
            rows={6}
            value={form.lead_sources}
            invalid={!!errors.lead_sources}
            onChange={(e) => change({ lead_sources: e.target.value })}
          />
        </Field>
        <Field id="business_types" label="Business types" error={errors.business_types}>
          <TextArea
            id="business_types"
            rows={6}
            value={form.business_types}
            invalid={!!errors.business_types}
            onChange={(e) => change({ business_types: e.target.value })}
          />
        </Field>
      </div>
    </Section>
  );
}

const SAMPLE_DAY = "2026-11-22";

export function RegionSection({ form, errors, change }: SectionProps) {
  return (
    <Section id="cfg-region" title="Money and dates" intro="How amounts and dates are written everywhere in the app.">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id="currency"
          label="Currency"
          error={errors.currency}
          hint={`e.g. ${formatMoney("1250", form.currency)}`}
        >
          <Select
            id="currency"
            value={form.currency}
            invalid={!!errors.currency}
            onChange={(e) => change({ currency: e.target.value })}
          >
            {CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="date_format" label="Date format" error={errors.date_format}>
          <Select
            id="date_format"
            value={form.date_format}
            invalid={!!errors.date_format}
            onChange={(e) => change({ date_format: e.target.value })}
          >
            {DATE_FORMATS.map((f) => (
              <option key={f} value={f}>
                {formatDate(SAMPLE_DAY, f)} ({f})
              </option>
            ))}
          </Select>
        </Field>
      </div>
    </Section>
  );
}

export function FeaturesSection({ form, errors, change }: SectionProps) {
  return (
    <Section
      id="cfg-features"
      title="Features"
      intro="Switch off what the company does not use: it disappears from the app for everyone. Data is kept."
    >
      <div className="grid gap-2 sm:grid-cols-2">
        {FEATURES.map((feature) => (
          <label key={feature} className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              checked={form.features[feature]}
              onChange={(e) => change({ features: { ...form.features, [feature]: e.target.checked } })}
              className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-brand-700"
            />
            <span>
              <span className="font-medium text-slate-900">{humanize(feature)}</span>
              <span className="block text-xs text-slate-500">{FEATURE_BLURBS[feature]}</span>
              {errors[`features.${feature}`] && (
                <span role="alert" className="block text-xs text-red-700">
                  {errors[`features.${feature}`]}
                </span>
              )}
            </span>
          </label>
        ))}
      </div>
    </Section>
  );
}
