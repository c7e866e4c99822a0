// What every admin screen and the reports share (src/screens/admin/shared): one wording for a
// failed server call, the "needs a connection" notice and a load error; and the loader's retries:
// no answer at all is asked again on its own, backing off; an answer (an error too) is not; an
// older answer never replaces a newer one.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HttpError, NetworkError } from "../src/api/http";
import { connectionText, errorText, loadErrorText } from "../src/screens/admin/shared/messages";
import { type ReadState, retryDelay, ServerRead } from "../src/screens/admin/shared/serverRead";

const http = (status: number, error: string, details: Record<string, unknown> = {}) =>
  new HttpError(status, { error, code: "x", details });

describe("the shared wording", () => {
  it("words each kind of failure once, for every admin screen", () => {
    expect(errorText(new NetworkError("Failed to fetch"))).toBe("No connection to the server.");
    expect(errorText(http(401, "token expired"))).toBe("Your session has ended: sign in again.");
    expect(errorText(http(403, "forbidden"))).toBe("This needs the admin role.");
    expect(errorText(http(404, "Conflict not found"))).toBe("This is not on the server (any more).");
    expect(errorText(http(409, "You cannot deactivate yourself"))).toBe("You cannot deactivate yourself");
    expect(errorText(new Error("boom"))).toBe("boom");
    expect(errorText("odd")).toBe("odd");
  });

  it("keeps a 422's field messages, which the screen may not show next to a field", () => {
    const invalid = http(422, "Invalid input", { fields: { end_date: ["before start_date"], q: "too long" } });
    expect(errorText(invalid)).toBe("Invalid input (end_date: before start_date, q: too long)");
    expect(errorText(http(422, "Invalid input"))).toBe("Invalid input");
  });

  it("says offline screens need a connection, naming the screen; signed out, to sign in", () => {
    expect(connectionText("offline", "Conflict review")).toBe(
      "You are offline. Conflict review needs a connection: it works on the server, not on this device. The rest of the app keeps working offline.",
    );
    expect(connectionText("signed-out", "Conflict review")).toBe("Your session has ended: sign in again.");
  });

  it("says a load retries by itself only when it does", () => {
    expect(loadErrorText(new NetworkError("reset"))).toBe(
      "Could not load: No connection to the server. Trying again automatically.",
    );
    expect(loadErrorText(http(500, "Internal error"))).toBe("Could not load: Internal error");
  });
});

describe("retries", () => {
  it("backs off 1 s, 2 s, 4 s… up to 30 s, only when there was no answer", () => {
    const offline = new NetworkError("offline");
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => retryDelay(offline, n))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(retryDelay(http(500, "Internal error"), 0)).toBeNull();
    expect(retryDelay(new Error("bad data"), 0)).toBeNull();
  });
});

/** A ServerRead and every state it published. */
function reader<T>() {
  const read = new ServerRead<T>(true);
  const states: ReadState<T>[] = [];
  read.subscribe(() => states.push(read.getState()));
  return { read, states };
}

describe("ServerRead", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("asks again by itself while there is no answer, then shows the data", async () => {
    const { read } = reader<string>();
    const load = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new NetworkError("offline"))
      .mockRejectedValueOnce(new NetworkError("offline"))
      .mockResolvedValue("the list");
    read.start(load, false);
    await vi.advanceTimersByTimeAsync(0);
    expect(read.getState()).toMatchObject({ loading: false, error: expect.any(NetworkError) });
    await vi.advanceTimersByTimeAsync(999);
    expect(load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(load).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(load).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(load).toHaveBeenCalledTimes(3);
    expect(read.getState()).toEqual({ data: "the list", error: undefined, loading: false });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it("waits for the person after an answer; a retry keeps the data on screen", async () => {
    const { read, states } = reader<string>();
    const refused = http(500, "Internal error");
    const load = vi.fn<() => Promise<string>>().mockResolvedValueOnce("v1").mockRejectedValueOnce(refused);
    read.start(load, false);
    await vi.advanceTimersByTimeAsync(0);
    read.start(load, true); // "Try again" / reload
    expect(read.getState()).toEqual({ data: "v1", error: undefined, loading: true });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(load).toHaveBeenCalledTimes(2);
    expect(read.getState()).toEqual({ data: "v1", error: refused, loading: false });
    expect(states.map((s) => s.loading)).toEqual([true, false, true, false]);
  });

  it("never lets an older answer replace a newer one, and new inputs start empty", async () => {
    const { read } = reader<string>();
    let answerOld: (v: string) => void = () => {};
    read.start(() => new Promise<string>((resolve) => (answerOld = resolve)), false);
    read.start(() => Promise.resolve("new"), false);
    await vi.advanceTimersByTimeAsync(0);
    answerOld("old");
    await vi.advanceTimersByTimeAsync(0);
    expect(read.getState().data).toBe("new");
    read.start(() => new Promise<string>(() => {}), false);
    expect(read.getState()).toEqual({ data: undefined, error: undefined, loading: true });
  });

  it("stops retrying once stopped (offline, new inputs, screen closed)", async () => {
    const { read } = reader<string>();
    const load = vi.fn<() => Promise<string>>().mockRejectedValue(new NetworkError("offline"));
    read.start(load, false);
    await vi.advanceTimersByTimeAsync(0);
    read.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("takes the state a write answered with", async () => {
    const { read } = reader<number>();
    read.start(() => Promise.resolve(1), false);
    await vi.advanceTimersByTimeAsync(0);
    read.update((n) => (n ?? 0) + 1);
    expect(read.getState()).toEqual({ data: 2, error: undefined, loading: false });
  });
});
