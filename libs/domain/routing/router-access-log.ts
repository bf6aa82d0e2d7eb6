/** One request as HAProxy logs it (the JSON of ACCESS_LOG_FORMAT in haproxy-config.ts). */
interface AccessRecord {
  t: number;
  host: string;
  method: string;
  uri: string;
  version: string;
  status: number;
  received: number;
  sent: number;
  referer: string;
  agent: string;
  client: string;
  server_address: string;
  xff: string;
  id: string;
  total_ms: number;
  response_ms: number;
  server: string;
  termination: string;
}

export interface RouterAccessLine {
  appGuid: string;
  /** The `[RTR/n]` line, in the gorouter's access log format. */
  message: string;
}

const SERVER_NAME = /^([0-9a-f-]{36})_(\d+)_([0-9a-f-]{36})$/;

/**
 * Turns HAProxy's access record into the line Cloud Foundry's router writes into the app's log:
 *
 *   host - [time] "GET /path HTTP/1.1" 200 0 12 "referer" "agent" "client" "instance" \
 *   x_forwarded_for:"..." x_forwarded_proto:"http" vcap_request_id:"..." response_time:0.003 \
 *   gorouter_time:0.000 app_id:"..." app_index:"0" instance_id:"..." x_cf_routererror:"-"
 *
 * Null for a request that reached no instance (unknown route), which belongs to no app, and for
 * anything that is not such a record.
 */
export function routerAccessLine(datagram: string): RouterAccessLine | null {
  let r: AccessRecord;
  try {
    r = JSON.parse(datagram) as AccessRecord;
  } catch {
    return null;
  }
  const server = SERVER_NAME.exec(r?.server ?? '');
  if (!server) return null;
  const [appGuid, index, instanceGuid] = [server[1] ?? '', server[2] ?? '', server[3] ?? ''];
  const dash = (v: string) => (v === '' || v === undefined ? '-' : v);
  const clientIp = r.client.replace(/:\d+$/, '');
  const xff = r.xff && r.xff !== '-' ? `${r.xff}, ${clientIp}` : clientIp;
  const total = Math.max(0, r.total_ms) / 1000;
  const routerTime = r.response_ms >= 0 ? Math.max(0, r.total_ms - r.response_ms) / 1000 : total;
  const routerError = r.status >= 502 && r.status <= 504 ? 'endpoint_failure' : '-';
  const time = Number.isFinite(r.t) ? new Date(r.t).toISOString() : new Date().toISOString();
  const message =
    `${dash(r.host)} - [${time}] "${r.method} ${r.uri} ${r.version}" ${r.status} ${r.received} ${r.sent} ` +
    `"${dash(r.referer)}" "${dash(r.agent)}" "${r.client}" "${r.server_address}" ` +
    `x_forwarded_for:"${xff}" x_forwarded_proto:"http" vcap_request_id:"${r.id}" ` +
    `response_time:${total.toFixed(6)} gorouter_time:${routerTime.toFixed(6)} ` +
    `app_id:"${appGuid}" app_index:"${index}" instance_id:"${instanceGuid}" x_cf_routererror:"${routerError}"`;
  return { appGuid, message };
}
