// One admin area: its routes (paths relative to the app root, e.g. "admin/users") and, when it has
// a card on the Admin home, the card's title, blurb (text, or a live figure such as a count) and link.
import type { ReactNode } from "react";
import type { AppRoute } from "../../app/routes";

export interface AdminSection {
  routes: AppRoute[];
  card?: { title: string; blurb: ReactNode; to: string };
}
