// One admin area: its routes (paths relative to the app root, e.g. "admin/users") and, when it has
// a card on the Admin home, the card's title, blurb and link.
import type { AppRoute } from "../../app/routes";

export interface AdminSection {
  routes: AppRoute[];
  card?: { title: string; blurb: string; to: string };
}
