// Admin overviews (leads, clients, projects, accounts): filled in by the overviews screens.
import type { AdminSection } from "../sections";

export const OVERVIEW_SECTIONS: AdminSection[] = [];
