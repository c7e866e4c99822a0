// The conflict-resolution screens: filled in by the conflicts screens.
import type { AdminSection } from "../sections";

export const CONFLICT_SECTIONS: AdminSection[] = [];
