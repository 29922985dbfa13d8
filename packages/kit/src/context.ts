import { AsyncLocalStorage } from 'node:async_hooks';

// Carries the request id across awaits so outgoing calls forward it without threading it by hand.
export interface RequestContext {
  requestId: string;
  authorization?: string | undefined;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export const currentRequestId = (): string | undefined => requestContext.getStore()?.requestId;
