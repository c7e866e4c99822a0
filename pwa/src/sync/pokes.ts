// The poke WebSocket (SYNC.md "Live updates"): data-less hints that something changed. The
// token travels as a subprotocol because browsers cannot set headers on a WebSocket.
import { WS_SUBPROTOCOL } from "./protocol";

export interface PokeHandlers {
  onReady(): void;
  onPoke(seq: number): void;
  onAuthError(): void;
  onClosed(): void;
}

export type WebSocketFactory = (url: string, protocols: string[]) => WebSocket;

const defaultFactory: WebSocketFactory = (url, protocols) => new WebSocket(url, protocols);

export class PokeSocket {
  private socket: WebSocket | null = null;

  constructor(
    private readonly url: string,
    private readonly handlers: PokeHandlers,
    private readonly factory: WebSocketFactory = defaultFactory,
  ) {}

  get connected(): boolean {
    return this.socket?.readyState === 1;
  }

  open(token: string): void {
    this.close();
    let socket: WebSocket;
    try {
      socket = this.factory(this.url, [WS_SUBPROTOCOL, `bearer.${token}`]);
    } catch {
      this.handlers.onClosed();
      return;
    }
    this.socket = socket;
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (event.code === 4401) this.handlers.onAuthError();
      else this.handlers.onClosed();
    };
  }

  close(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= 1) socket.close(1000);
  }

  private receive(data: unknown): void {
    if (typeof data !== "string") return;
    let message: { type?: unknown; seq?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return; // "pong" and anything else that is not JSON
    }
    if (message.type === "ready") this.handlers.onReady();
    else if (message.type === "poke" && typeof message.seq === "number") this.handlers.onPoke(message.seq);
  }
}
