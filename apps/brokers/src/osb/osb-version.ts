import { BrokerError, BrokerErrorCode } from './broker.errors';

/** The oldest API version these brokers answer: the one osb-checker and older platforms speak. */
export const OSB_MIN_MINOR = 13;
/** The newest version whose fields the brokers know; later 2.x callers get 2.17's fields. */
export const OSB_MAX_MINOR = 17;

/** A caller's `X-Broker-API-Version` (always major 2 once accepted). */
export interface OsbVersion {
  major: 2;
  minor: number;
}

/**
 * Reads the header. The spec lets a broker answer a missing header with 400 or 412; we answer 412
 * like osb-checker and Cloud Foundry's own brokers expect, naming the version to send.
 */
export function parseOsbVersion(header: string | undefined): OsbVersion {
  const wanted = `send X-Broker-API-Version: 2.${OSB_MAX_MINOR} (2.${OSB_MIN_MINOR} or later 2.x)`;
  if (!header)
    throw new BrokerError(
      BrokerErrorCode.PreconditionFailed,
      `The X-Broker-API-Version header is missing: ${wanted}.`,
    );
  const m = /^\s*(\d+)\.(\d+)\s*$/.exec(header);
  const major = Number(m?.[1]);
  const minor = Number(m?.[2]);
  if (!m || major !== 2 || minor < OSB_MIN_MINOR)
    throw new BrokerError(
      BrokerErrorCode.PreconditionFailed,
      `API version ${header} is not supported: ${wanted}.`,
    );
  return { major: 2, minor: Math.min(minor, OSB_MAX_MINOR) };
}

/** True when the caller's version has the fields introduced in 2.`minor`. */
export function speaks(version: OsbVersion, minor: number): boolean {
  return version.minor >= minor;
}
