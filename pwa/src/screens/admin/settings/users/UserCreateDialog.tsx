// Add a user: with a password they can sign in at once; without one the server mails them an
// invitation to choose it. Validated with the contract's UserCreate; the server's 422 lands on
// the field it names.
import { Controller, useForm } from "react-hook-form";
import { useApp } from "../../../../app/AppProvider";
import { UserCreate, type UserCreated } from "../../../../contracts/zod";
import { zodResolver } from "../../../../forms/zodForm";
import { Button } from "../../../../ui/Button";
import { Dialog } from "../../../../ui/Dialog";
import { Field, Input } from "../../../../ui/Field";
import { fieldErrors } from "../shared/errors";
import { FormError } from "../shared/ui";
import { RoleChecks } from "./RoleChecks";
import { createUser } from "./usersApi";

interface Values {
  email: string;
  name: string;
  password: string;
  roles: string[];
}

const NAMES = ["email", "name", "password", "roles"] as const;
const EMPTY: Values = { email: "", name: "", password: "", roles: ["user"] };

export function UserCreateDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose(): void;
  onCreated(user: UserCreated): void;
}) {
  const { api } = useApp();
  const form = useForm<Values>({ resolver: zodResolver<Values>(UserCreate), defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    try {
      // The resolver hands over the parsed UserCreate (blank name and password left out).
      const user = await createUser(api, values as unknown as UserCreate);
      form.reset(EMPTY);
      onCreated(user);
    } catch (err) {
      for (const [name, message] of Object.entries(fieldErrors(err, NAMES))) {
        form.setError(name as keyof Values | "root", { type: "server", message });
      }
    }
  });
  const rolesError =
    errors.roles && (errors.roles.type === "server" ? errors.roles.message : "Choose at least one role.");

  return (
    <Dialog open={open} onClose={onClose} title="Add a user" initialFocus="#new-user-email">
      <form onSubmit={submit} noValidate className="space-y-4" aria-label="New user">
        <FormError message={errors.root?.message} />
        <Field id="new-user-email" label="Email" error={errors.email?.message}>
          <Input
            id="new-user-email"
            type="email"
            autoComplete="off"
            invalid={!!errors.email}
            {...form.register("email")}
          />
        </Field>
        <Field
          id="new-user-name"
          label="Name"
          error={errors.name?.message}
          hint="Optional: the email's name otherwise."
        >
          <Input id="new-user-name" autoComplete="off" invalid={!!errors.name} {...form.register("name")} />
        </Field>
        <Field
          id="new-user-password"
          label="Password"
          error={errors.password?.message}
          hint="Leave empty to email them an invitation to choose their own (8–64 characters)."
        >
          <Input
            id="new-user-password"
            type="password"
            autoComplete="new-password"
            invalid={!!errors.password}
            {...form.register("password")}
          />
        </Field>
        <Controller
          control={form.control}
          name="roles"
          render={({ field }) => <RoleChecks value={field.value} onChange={field.onChange} error={rolesError} />}
        />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={isSubmitting}>
            {isSubmitting ? "Adding…" : "Add user"}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
