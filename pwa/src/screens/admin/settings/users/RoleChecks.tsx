// The roles of a user as a group of checkboxes, each with what it allows.
import { useId } from "react";
import { ROLES, roleBlurb, roleLabel, withRole } from "./roles";

export function RoleChecks({
  value,
  onChange,
  error,
}: {
  value: readonly string[];
  onChange(roles: string[]): void;
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <fieldset aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="mb-1 text-sm font-medium text-slate-700">Roles</legend>
      <div className="space-y-2">
        {ROLES.map((role) => (
          <label key={role} className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              name="roles"
              value={role}
              checked={value.includes(role)}
              onChange={(e) => onChange(withRole(value, role, e.target.checked))}
              className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-brand-700"
            />
            <span>
              <span className="font-medium text-slate-900">{roleLabel(role)}</span>
              <span className="block text-xs text-slate-500">{roleBlurb(role)}</span>
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p id={`${id}-error`} role="alert" className="mt-1 text-xs text-red-700">
          {error}
        </p>
      )}
    </fieldset>
  );
}
