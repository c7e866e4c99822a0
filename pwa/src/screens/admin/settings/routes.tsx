// Users and roles, tenant configuration, the tenant-wide Trash: filled in by the settings screens.
import type { AdminSection } from "../sections";

export const SETTINGS_SECTIONS: AdminSection[] = [];
