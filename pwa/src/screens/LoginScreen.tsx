import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link, Navigate, useLocation, useNavigate } from "react-router";
import { HttpError, NetworkError } from "../api/http";
import { useApp } from "../app/AppProvider";
import { LoginRequest } from "../contracts/zod";
import { zodResolver } from "../forms/zodForm";
import { cachedBranding } from "../hooks/useCRMConfig";
import { Button } from "../ui/Button";
import { Field, Input } from "../ui/Field";

type Values = { email: string; password: string };

function loginMessage(err: unknown): string {
  if (err instanceof NetworkError) return "You are offline. Signing in needs a connection once.";
  if (err instanceof HttpError) {
    if (err.status === 429) return "Too many attempts. Wait a minute and try again.";
    if (err.status === 401 || err.code === "invalid_credentials") return "Email or password is incorrect.";
    return err.message;
  }
  return "Something went wrong. Try again.";
}

export function LoginScreen() {
  const { session, login } = useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<Values>({
    resolver: zodResolver<Values>(LoginRequest),
    defaultValues: { email: session?.user.email ?? "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const resuming = new URLSearchParams(location.search).has("resume");
  const branding = cachedBranding();
  if (session && !resuming) return <Navigate to="/today" replace />;

  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      await login(values.email, values.password);
      navigate(resuming ? "/sync" : "/today", { replace: true });
    } catch (err) {
      setFailure(loginMessage(err));
    }
  });

  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center gap-3">
          <img src="/icons/icon.svg" alt="" className="h-10 w-10" />
          <h1 className="text-xl font-semibold">{branding.appName}</h1>
        </div>
        {resuming && (
          <p className="mb-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
            Your session ended. Sign in again — your unsynced changes are kept on this device.{" "}
            <Link to="/today" className="font-medium underline">
              Keep working offline
            </Link>
          </p>
        )}
        <form
          onSubmit={submit}
          noValidate
          className="space-y-4 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200"
        >
          <Field id="email" label="Email" error={errors.email?.message}>
            <Input
              id="email"
              type="email"
              autoComplete="username"
              invalid={!!errors.email}
              {...form.register("email")}
            />
          </Field>
          <Field id="password" label="Password" error={errors.password?.message}>
            <Input
              id="password"
              type="password"
              autoComplete="current-password"
              invalid={!!errors.password}
              {...form.register("password")}
            />
          </Field>
          {failure && (
            <p role="alert" className="text-sm text-red-700">
              {failure}
            </p>
          )}
          <Button type="submit" className="w-full" disabled={isSubmitting}>
            {isSubmitting ? "Signing in…" : "Sign in"}
          </Button>
        </form>
      </div>
    </main>
  );
}
