import type { Channel, RequestOf, ResponseOf } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/errors';
import type { RunningHost } from './host';

/** Calls the web host's API the way a script would (bearer token), to seed or inspect a workspace. */
export async function call<C extends Channel>(host: RunningHost, channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const response = await fetch(`${host.origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
    body: JSON.stringify(request),
  });
  const envelope = (await response.json()) as Envelope<ResponseOf<C>>;
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.detail}`);
  return envelope.value;
}
