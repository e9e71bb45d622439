export interface StubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}
export interface StubAnswer {
  code: number;
  body: unknown;
  headers?: Record<string, string>;
}
export interface Stub {
  url: string;
  kubeconfig: string;
  requests: StubRequest[];
  stored: Map<string, unknown>;
  close(): Promise<void>;
}
export const TOKEN: string;
export function startStub(opts?: { handler?: (req: StubRequest) => StubAnswer | undefined | Promise<StubAnswer | undefined> }): Promise<Stub>;
