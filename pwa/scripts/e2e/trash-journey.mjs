// Trash: a record moved to Trash on the device is restored offline; an admin's purge goes to
// the server and needs a connection — offline the button is disabled and says why.
import { check, eventually, openFromList, openPages, PHONE, restAs, shootBoth, signIn, step, synced } from "./lib.mjs";

export async function trashJourney({ browser, base, api }) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  openPages.add(page);
  const rest = await restAs(base, api.admin);
  const keep = await rest.create("leads", { name: "Trashed by mistake" });
  const purge = await rest.create("leads", { name: "Duplicate lead" });
  await rest.create("clients", { name: "Closed account" }).then((c) => rest.call("DELETE", `clients/${c.id}`));

  await step("trash: leads moved to Trash on the device show in Trash; restore works offline", async () => {
    await signIn(page, base, api.admin);
    await synced(page);
    for (const name of ["Trashed by mistake", "Duplicate lead"]) {
      await openFromList(page, base, "leads", name);
      await page.click("button:has-text('Move to Trash')");
      await page.waitForURL(/\/leads$/);
    }
    await synced(page);
    await context.setOffline(true);
    await page.goto(`${base}/trash`);
    await page.waitForSelector('[data-testid="trash-list"] >> text=Closed account');
    const row = page.locator('[data-testid="trash-list"] li', { hasText: "Trashed by mistake" });
    await row.locator("button:has-text('Restore')").click();
    await page.waitForSelector('[data-testid="trash-list"] >> text=Trashed by mistake', { state: "detached" });
  });

  await step("trash: purge is disabled offline with the reason, and purges online (admin)", async () => {
    const row = page.locator('[data-testid="trash-list"] li', { hasText: "Duplicate lead" });
    check(await row.locator("button:has-text('Purge')").isDisabled(), "purge enabled while offline");
    await page.waitForSelector('[data-testid="purge-blocker"] >> text=Purging needs a connection');
    await shootBoth(page, "trash");
    await context.setOffline(false);
    await synced(page);
    await row.locator("button:has-text('Purge')").click();
    await page.click('[role="dialog"] button:has-text("Delete for good")');
    await page.waitForSelector('[data-testid="trash-list"] >> text=Duplicate lead', {
      state: "detached",
      timeout: 20_000,
    });
    await eventually(async () => {
      check((await rest.get(`leads/${purge.id}`)) === null, "the purged lead is still on the server");
      check(
        (await rest.get(`leads/${keep.id}`))?.deleted_at === null,
        "the restored lead is still in Trash on the server",
      );
    });
  });
  openPages.delete(page);
  await context.close();
}
