import type { Channel, RequestOf, ResponseOf } from '../../shared/api/contract';
import { bearerCall, type RunningHost } from './host';

/** Calls the web host's API the way a script would (bearer token and the script's session), to seed or inspect a workspace. */
export async function call<C extends Channel>(host: RunningHost, channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const envelope = await bearerCall(host, channel, request);
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error?.code} ${envelope.error?.detail}`);
  return envelope.value as ResponseOf<C>;
}
