/**
 * The image an app's instances run: staging builds it from the droplet, the scheduler starts
 * containers from it. One name, so neither context needs the other.
 */
export const dropletImageRef = (dropletGuid: string): string => `wharf/droplet:${dropletGuid}`;
