import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CliContext } from '../cli.context';
import { CliError } from '../errors/cli.error';
import type { RawResponse } from '../http/api.client';
import { parseJson } from '../http/json';

interface CurlOptions {
  request?: string;
  data?: string;
  header?: string[];
  include?: boolean;
  fail?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

/** `wharf curl PATH`: an authenticated raw API call, like `cf curl`. */
export class CurlCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('curl')
      .description('Execute a raw, authenticated request to the API')
      .argument('<path>', 'API path, e.g. /v3/organizations')
      .option('-X, --request <method>', 'HTTP method (default: GET, or POST with -d)')
      .option('-d, --data <body>', 'Request body (@FILE reads a file); sent as application/json')
      .option('-H, --header <header>', "Custom header 'Key: Value' (repeatable)", collect)
      .option('-i, --include', 'Include the response status line and headers in the output')
      .option('-f, --fail', 'Exit 22 when the API answers with a status of 400 or more')
      .addHelpText(
        'after',
        [
          '',
          'The response body is printed as it came, pretty-printed when it is JSON.',
          '',
          'Exit status (as cf curl): 0 whenever the API answered, whatever the HTTP status,',
          'including 4xx and 5xx; 1 when no answer came (connection refused, timeout), when no',
          'API endpoint is set or when not logged in; 22 for a status >= 400 with --fail.',
          '',
          'Examples:',
          '  wharf curl /v3/organizations',
          `  wharf curl /v3/spaces -X POST -d '{"name":"dev","relationships":{...}}'`,
          '  wharf curl /v3/organizations/GUID -X DELETE -i',
        ].join('\n'),
      )
      .action((path: string, options: CurlOptions) => this.run(path, options));
  }

  async run(path: string, options: CurlOptions): Promise<void> {
    const config = await this.ctx.loggedIn();
    const headers = parseHeaders(options.header ?? []);
    const body = await readBody(options.data);
    if (body !== undefined && !hasHeader(headers, 'content-type')) {
      headers['Content-Type'] = 'application/json';
    }
    const method = (options.request ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
    const res = await this.ctx
      .apiClient(config.target)
      .raw(method, path.startsWith('/') ? path : `/${path}`, { headers, body });
    this.print(res, options.include === true);
    if (options.fail && res.status >= 400) this.ctx.exitCode = 22;
  }

  private print(res: RawResponse, include: boolean): void {
    const { ui } = this.ctx;
    if (include) {
      ui.say(`HTTP/1.1 ${res.status} ${res.statusText}`.trimEnd());
      res.headers.forEach((value, key) => ui.say(`${key}: ${value}`));
      ui.say();
    }
    const parsed = parseJson(res.body);
    if (parsed !== undefined) ui.say(JSON.stringify(parsed, null, 2));
    else if (res.body !== '') ui.write(res.body.endsWith('\n') ? res.body : `${res.body}\n`);
  }
}

function parseHeaders(raw: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of raw) {
    const colon = line.indexOf(':');
    const key = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!key) throw new CliError(`Invalid header '${line}': expected 'Key: Value'.`);
    headers[key] = line.slice(colon + 1).trim();
  }
  return headers;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

async function readBody(data: string | undefined): Promise<string | undefined> {
  if (data === undefined || !data.startsWith('@')) return data;
  const file = data.slice(1);
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`Could not read request body from ${file}: ${(err as Error).message}`);
  }
}
