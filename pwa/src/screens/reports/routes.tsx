// The reports screens: filled in by the reports work.
import type { AppRoute } from "../../app/routes";

export const REPORT_ROUTES: AppRoute[] = [];
