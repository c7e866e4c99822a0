import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { AppProvider } from "./app/AppProvider";
import { APP_ROUTES } from "./app/routes";
import { AppLayout } from "./screens/AppLayout";
import { LoginScreen } from "./screens/LoginScreen";

export function App() {
  return (
    <AppProvider>
      <BrowserRouter>
        <Routes>
          <Route path="/login" element={<LoginScreen />} />
          <Route element={<AppLayout />}>
            <Route index element={<Navigate to="/today" replace />} />
            {APP_ROUTES.map((r) => (
              <Route key={r.path} path={r.path} element={r.element} />
            ))}
            <Route path="*" element={<p className="text-sm text-slate-500">Nothing here.</p>} />
          </Route>
        </Routes>
      </BrowserRouter>
    </AppProvider>
  );
}
